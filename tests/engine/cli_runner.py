"""Run the `vault` CLI in-process against one vault folder, as the CLI tests do: the same helper for
every test file (a module of its own: tests/engine is not a package, so no conftest imports)."""

from __future__ import annotations

from server_api.cli.vault import main


def cli_runner(capsys, folder):
    """``run(*args, rc=0)``: runs ``vault --vault FOLDER args``, checks the exit code, returns the
    captured (out, err)."""

    def run(*args, rc=0):
        capsys.readouterr()
        try:
            code = main(["--vault", str(folder), *[str(a) for a in args]])
        except SystemExit as exc:
            code = exc.code
        out = capsys.readouterr()
        assert code == rc, out.err
        return out

    return run
