from marshmallow import Schema, fields, validate


class LoginSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=1024))


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


class SessionSchema(Schema):
    user = fields.Nested(UserSchema)
    csrf_token = fields.String()


class CsrfSchema(Schema):
    csrf_token = fields.String()
