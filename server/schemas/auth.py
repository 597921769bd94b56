from marshmallow import Schema, fields, validate

from server.schemas.fields import UtcDateTime

# A 6-digit code or a recovery code, with the spaces and dashes people type.
ONE_TIME_CODE = validate.Length(min=1, max=32)


class LoginSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=1024))
    otp = fields.String(load_default=None, allow_none=True, load_only=True, validate=ONE_TIME_CODE,
                        metadata={"description": "For an account with an authenticator app: its current "
                                                 "6-digit code, or an unused recovery code. Asked for by a 401 "
                                                 "with code second_factor_required."})


class SecondFactorSchema(Schema):
    available = fields.Boolean(metadata={"description": "This role may set up an authenticator app."})
    enabled = fields.Boolean()
    required = fields.Boolean(metadata={"description": "The organisation requires one for this account."})
    enabled_at = UtcDateTime(allow_none=True)
    recovery_codes_left = fields.Integer()


class SchoolSummarySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    code = fields.String()
    timezone = fields.String()
    assigned_from = fields.String(allow_none=True)
    assigned_until = fields.String(allow_none=True)


class UserSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String()
    schools = fields.List(fields.Nested(SchoolSummarySchema))
    second_factor = fields.Nested(SecondFactorSchema)


class SessionSchema(Schema):
    user = fields.Nested(UserSchema)
    csrf_token = fields.String()


class CsrfSchema(Schema):
    csrf_token = fields.String()


class QrCodeSchema(Schema):
    size = fields.Integer(metadata={"description": "Modules per side."})
    path = fields.String(metadata={"description": "SVG path data, one unit square per dark module."})


class SecondFactorSetupSchema(Schema):
    secret = fields.String(metadata={"description": "Base32, for typing into the app by hand."})
    otpauth_uri = fields.String()
    qr = fields.Nested(QrCodeSchema)


class ConfirmSetupSchema(Schema):
    code = fields.String(required=True, validate=ONE_TIME_CODE,
                         metadata={"description": "The code the app shows now."})
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=1024))


class ReauthenticateSchema(ConfirmSetupSchema):
    code = fields.String(required=True, validate=ONE_TIME_CODE,
                         metadata={"description": "The app's current code, or an unused recovery code."})


class RecoveryCodesSchema(Schema):
    recovery_codes = fields.List(fields.String(), metadata={"description": "Shown once; each works once."})
