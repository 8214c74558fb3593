"""slurmrestd's command line and environment, mapped onto the config."""

import socket
import subprocess
import sys

import pytest

from server.cli import UsageError, config_from, list_plugins
from server.listeners import ListenerError, parse, parse_all


def config(argv, environ=None):
    return config_from(argv, environ or {})[0]


def run(*argv, env=None):
    return subprocess.run([sys.executable, "-m", "server", *argv], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", **(env or {})})


def test_defaults():
    found = config([])
    assert found.listeners == []  # the daemon decides: inet mode or 127.0.0.1:6820
    assert found.slurm_conf is None and found.verbosity == 0
    assert found.openapi_plugins == ["slurmctld", "slurmdbd", "util"]
    assert found.auth_types == ["rest_auth/jwt", "rest_auth/local"]


def test_options_and_listeners():
    found = config(["-f", "/x/slurm.conf", "-vv", "--coalesce", "0", "-t", "3", "-s", "slurmctld,util",
                    "-d", "latest", "-a", "rest_auth/jwt", "-u", "nobody", "--max-connections", "5",
                    "127.0.0.1:7000", "[::1]:7001", ":7002", "unix:/run/x.sock"])
    assert found.slurm_conf == "/x/slurm.conf" and found.verbosity == 2
    assert found.coalesce_seconds == 0 and found.max_concurrent_commands == 3
    assert found.openapi_plugins == ["slurmctld", "util"] and found.auth_types == ["rest_auth/jwt"]
    assert found.data_parsers == ["v0.0.45"] and found.user == "nobody" and found.max_connections == 5
    assert found.listeners == ["127.0.0.1:7000", "[::1]:7001", ":7002", "unix:/run/x.sock"]


def test_environment_of_slurmrestd():
    found = config([], {"SLURMRESTD_LISTEN": "127.0.0.1:7000, unix:///tmp/a.sock",
                        "SLURMRESTD_OPENAPI_PLUGINS": "slurmdbd", "SLURMRESTD_DATA_PARSER_PLUGINS": "v0.0.44",
                        "SLURMRESTD_AUTH_TYPES": "rest_auth/local", "SLURMRESTD_MAX_CONNECTIONS": "9",
                        "SLURMRESTD_DEBUG": "debug2", "SLURM_JSON": "compact",
                        "SLURMRESTD_SECURITY": "disable_user_check",
                        "SLURMRESTD_RESPONSE_STATUS_CODES": "200,404,default"})
    assert found.listeners == ["127.0.0.1:7000", "unix:///tmp/a.sock"]
    assert found.openapi_plugins == ["slurmdbd"] and found.auth_types == ["rest_auth/local"]
    assert found.max_connections == 9 and found.verbosity == 3 and found.compact_json
    assert found.allow_root and found.response_status_codes == ["200", "404", "default"]
    assert config([], {"SLURMRESTD_DEBUG": "5"}).verbosity == 2
    # The command line wins over the environment.
    assert config(["-s", "util"], {"SLURMRESTD_OPENAPI_PLUGINS": "slurmdbd"}).openapi_plugins == ["util"]


@pytest.mark.parametrize("argv, environ, message", [
    (["-s", "slurmctld,bogus"], {}, "unknown OpenAPI plugin bogus"),
    (["-d", "v0.0.1"], {}, "unknown data parser v0.0.1"),
    (["-a", "rest_auth/none"], {}, "unknown authentication plugin"),
    ([], {"SLURMRESTD_DEBUG": "loud"}, "unknown log level"),
    ([], {"SLURMRESTD_SECURITY": "yolo"}, "SLURMRESTD_SECURITY"),
    ([], {"SLURMRESTD_MAX_CONNECTIONS": "0"}, "positive"),
    ([], {"SLURMRESTD_RESPONSE_STATUS_CODES": "ok"}, "not an HTTP status"),
    (["6820"], {}, "listener"),
    (["host:"], {}, "listener"),
    (["host:70000"], {}, "listener"),
    (["unix:relative.sock"], {}, "absolute"),
])
def test_bad_values_stop_with_a_message(argv, environ, message):
    with pytest.raises(UsageError, match=message):
        config(argv, environ)


@pytest.mark.parametrize("text, host, port, path", [
    ("127.0.0.1:6820", "127.0.0.1", 6820, None),
    ("[::1]:6820", "::1", 6820, None),
    (":6820", "0.0.0.0", 6820, None),
    ("unix:/run/a.sock", None, None, "/run/a.sock"),
    ("unix:///run/a.sock", None, None, "/run/a.sock"),
])
def test_listener_forms(text, host, port, path):
    listener = parse(text)
    assert (listener.host, listener.port, str(listener.path) if listener.path else None) == (host, port, path)


def test_the_same_listener_twice():
    with pytest.raises(ListenerError, match="twice"):
        parse_all(["127.0.0.1:1", "127.0.0.1:1"])


def test_a_listener_in_use_is_named_with_the_cause(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ListenerError, match=rf"127.0.0.1:{port}: Address already in use"):
            parse(f"127.0.0.1:{port}").open()


def test_unix_socket_in_a_folder_we_may_not_write(tmp_path):
    with pytest.raises(ListenerError, match="No such file or directory"):
        parse(f"unix:{tmp_path}/missing/dir/a.sock").open()


def test_a_stale_unix_socket_is_replaced_but_a_live_one_is_not(tmp_path):
    path = tmp_path / "a.sock"
    first = parse(f"unix:{path}").open()
    with pytest.raises(ListenerError, match="Address already in use"):
        parse(f"unix:{path}").open()
    first.close()  # the socket file stays, nobody listens: stale
    parse(f"unix:{path}").open().close()
    (tmp_path / "file").write_text("x")
    with pytest.raises(ListenerError, match="not a socket"):
        parse(f"unix:{tmp_path}/file").open()


def test_data_parsers_by_either_name():
    assert config(["-d", "data_parser/v0.0.40,v0.0.42"]).data_parsers == ["v0.0.40", "v0.0.42"]
    assert config(["-d", "data_parser/latest"]).data_parsers == ["v0.0.45"]


@pytest.mark.parametrize("option, expected", [
    ("-a", ["rest_auth/jwt", "rest_auth/local"]),
    ("-s", ["slurmctld", "slurmdbd", "util"]),
    ("-d", [f"data_parser/v0.0.{n}" for n in range(40, 46)]),
])
def test_list(option, expected):
    result = run(option, "list")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected
    assert list_plugins(config([option, "list"])) == "\n".join(expected)


def test_generate_openapi_spec_follows_s_and_d():
    import json

    result = run("-f", "/dev/null", "--generate-openapi-spec", "-s", "slurmctld", "-d", "v0.0.44")
    assert result.returncode == 0, result.stderr
    paths = json.loads(result.stdout)["paths"]
    assert "/slurm/v0.0.44/jobs/" in paths
    assert not [p for p in paths if not p.startswith("/slurm/")]


def test_unknown_option_stops_with_a_message_and_non_zero_exit():
    result = run("--no-such-option")
    assert result.returncode != 0
    assert "--no-such-option" in result.stderr


def test_version():
    result = run("-V")
    assert result.returncode == 0 and result.stdout.startswith("slurmrestpy ")


def test_missing_slurm_conf_stops_with_one_clear_line(tmp_path):
    result = run("-f", str(tmp_path / "none.conf"), "--allow-root", "127.0.0.1:0")
    assert result.returncode == 1
    assert result.stderr.strip().endswith(f"slurmrestpy: cannot read {tmp_path / 'none.conf'}: No such file or directory")


def test_slurm_conf_without_jwt_key(tmp_path):
    conf = tmp_path / "slurm.conf"
    conf.write_text("ClusterName=x\n")
    result = run("-f", str(conf), "--allow-root", "127.0.0.1:0")
    assert result.returncode == 1
    assert "no JWT key" in result.stderr


def test_limits_of_issue_8_and_their_defaults():
    config, _ = config_from([], {})
    assert config.max_body_size == 50 * 1024 * 1024
    assert config.forwarded_allow_ips == []  # no proxy trusted unless named
    assert config.user_command_share() == 4  # half of -t 8
    config, _ = config_from(["-t", "6", "--max-user-commands", "5", "--max-body-size", "1000",
                             "--max-command-output", "2000", "--forwarded-allow-ips", "10.0.0.1, 10.0.1.0/24"], {})
    assert (config.user_command_share(), config.max_body_size, config.max_command_output) == (5, 1000, 2000)
    assert config.forwarded_allow_ips == ["10.0.0.1", "10.0.1.0/24"]
    with pytest.raises(UsageError):
        config_from(["--max-body-size", "0"], {})
