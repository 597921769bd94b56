"""Command-line tools: flask --app wsgi COMMAND (see README "Administration")."""


def register(app) -> None:
    from server.commands.admin import assign, schools, users
    from server.commands.backup import backup
    from server.commands.demo import seed_demo

    for command in (users, schools, assign, seed_demo, backup):
        app.cli.add_command(command)
