"""The ``gnv`` commands, below ``gnvtools.cli`` (which resolves the settings and runs them).

``parser``: the arguments and argparse's own words in Swedish; ``common``: what the commands
share (output to a terminal or a file, the settings ``main`` passed down, signals);
``checking``: check, figures, schema; ``model``: allocate, followup; ``reports``: render,
build, verify, bundle; ``project``: init, notebooks. None reads the environment: each is given
its settings by ``gnvtools.cli.main``.
"""
