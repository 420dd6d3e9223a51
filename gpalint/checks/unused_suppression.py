"""kind = "unused-suppression": an inline ``<!-- gpalint: ignore CODE -->`` that suppressed nothing.

The engine applies suppressions after every other rule has run and then reports the unused ones with this rule's
message (field {code}); the kind itself has no parameters and finds nothing on its own.
"""


def prepare(rule):
    return {}


def run(rule, params, report):
    return ()
