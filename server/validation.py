"""Request validation with messages a person can act on: connexion's own
name neither the parameter nor keep to one line."""

from __future__ import annotations

from connexion.validators import ParameterValidator
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


VALIDATOR_MAP = {"parameter": NamingParameterValidator}
