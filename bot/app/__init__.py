"""The command layer shared by every front end (Discord cogs, the shell).

:data:`bot.app.commands.REGISTRY` declares each command once: name, description,
parameters, autocomplete and handler. Handlers take :class:`~bot.app.services.Services`
and return a neutral :class:`~bot.core.rendering.cards.Reply`; front ends only translate.
"""
