"""An aggregate both databases the project runs on have, under different names."""

from django.db.models import Aggregate, TextField, Value


class Joined(Aggregate):
    """The texts of a group joined by `separator`, in no particular order: GROUP_CONCAT on SQLite,
    STRING_AGG on PostgreSQL. For reading a few short names beside a row rather than in a query of their own."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def __init__(self, expression, separator=",", **extra):
        super().__init__(expression, Value(separator), **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="STRING_AGG", **extra_context)
