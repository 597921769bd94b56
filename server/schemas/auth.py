from marshmallow import Schema, fields, validate

from server.schemas.fields import Text, UtcDateTime

# A 6-digit code or a recovery code, with the spaces and dashes people type.
ONE_TIME_CODE = validate.Length(min=1, max=32)


class LoginSchema(Schema):
    email = Text(required=True, validate=validate.Length(min=3, max=254))
    password = Text(required=True, load_only=True, validate=validate.Length(min=1, max=1024))
    otp = Text(load_default=None, allow_none=True, load_only=True, validate=ONE_TIME_CODE,
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
    name = Text()
    code = Text()
    timezone = Text()
    assigned_from = Text(allow_none=True)
    assigned_until = Text(allow_none=True)


class UserSchema(Schema):
    id = fields.Integer()
    email = Text()
    name = Text()
    role = Text()
    schools = fields.List(fields.Nested(SchoolSummarySchema))
    second_factor = fields.Nested(SecondFactorSchema)


class PhonePolicySchema(Schema):
    lock_after_minutes = fields.Integer(metadata={"description": "The app locks after this long without use "
                                                                 "(SESSION_IDLE_MINUTES)."})
    keep_days = fields.Integer(metadata={"description": "Synced records that happened longer ago leave the "
                                                        "phone (PHONE_KEEP_DAYS); the server keeps them."})


class SessionSchema(Schema):
    user = fields.Nested(UserSchema)
    csrf_token = Text()
    phone = fields.Nested(PhonePolicySchema)
    school_year = Text(metadata={"description": "The school year to open on, like 2026-2027: the one holding "
                                                "today, or in the summer break the one that has just ended."})


class CsrfSchema(Schema):
    csrf_token = Text()


class QrCodeSchema(Schema):
    size = fields.Integer(metadata={"description": "Modules per side."})
    path = Text(metadata={"description": "SVG path data, one unit square per dark module."})


class SecondFactorSetupSchema(Schema):
    secret = Text(metadata={"description": "Base32, for typing into the app by hand."})
    otpauth_uri = Text()
    qr = fields.Nested(QrCodeSchema)


class ConfirmSetupSchema(Schema):
    code = Text(required=True, validate=ONE_TIME_CODE,
                metadata={"description": "The code the app shows now."})
    password = Text(required=True, load_only=True, validate=validate.Length(min=1, max=1024))


class ReauthenticateSchema(ConfirmSetupSchema):
    code = Text(required=True, validate=ONE_TIME_CODE,
                metadata={"description": "The app's current code, or an unused recovery code."})


class RecoveryCodesSchema(Schema):
    recovery_codes = fields.List(Text(), metadata={"description": "Shown once; each works once."})
