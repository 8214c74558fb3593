"""Request validation with messages a person can act on: connexion's own
name neither the parameter nor keep to one line."""

from __future__ import annotations

import copy

from connexion.datastructures import MediaTypeDict
from connexion.validators import (FormDataValidator, JSONRequestBodyValidator, MultiPartFormDataValidator,
                                  ParameterValidator)
from connexion.json_schema import Draft4RequestValidator
from jsonschema import Draft4Validator, ValidationError, draft4_format_checker


class NamingParameterValidator(ParameterValidator):
    @staticmethod
    def validate_parameter(parameter_type, value, param, param_name=None):
        message = ParameterValidator.validate_parameter(parameter_type, value, param, param_name)
        if message is None or value is None:
            return message
        schema = param.get("schema", param)
        try:
            Draft4Validator(schema, format_checker=draft4_format_checker).validate(value)
        except ValidationError as error:
            return f"Invalid {parameter_type} parameter {param.get('name', param_name)!r}: {error.message}"
        return message


def _fits(low: int, high: int):
    def check(value) -> bool:
        return not isinstance(value, int) or isinstance(value, bool) or low <= value <= high
    return check


# A number past its field's integer range is refused here, before Slurm
# would refuse it (or, worse, wrap it). The upper bounds are the unsigned
# ones: Slurm keeps most numbers the descriptions call int32 as uint32
# (NO_VAL is 4294967294), and int64 ones as uint64.
RANGES = copy.deepcopy(Draft4Validator.FORMAT_CHECKER)
RANGES.checks("int32")(_fits(-2**31, 2**32 - 1))
RANGES.checks("int64")(_fits(-2**63, 2**64 - 1))


class RangedJSONBodyValidator(JSONRequestBodyValidator):
    @property
    def _validator(self):
        return Draft4RequestValidator(self._schema, format_checker=RANGES)


VALIDATOR_MAP = {
    "parameter": NamingParameterValidator,
    "body": MediaTypeDict({
        "*/*json": RangedJSONBodyValidator,
        "application/x-www-form-urlencoded": FormDataValidator,
        "multipart/form-data": MultiPartFormDataValidator,
    }),
}
