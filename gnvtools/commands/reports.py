"""``gnv render``, ``gnv build``, ``gnv verify`` and ``gnv bundle``: reports and their records."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gnvtools.commands.common import plain, settings_of, terminate_as_interrupt
from gnvtools.core.formatting import count


def default_out(params: Path, outputs: Path = Path("outputs")) -> Path:
    """``outputs/<organisation folder>/<year>`` for a year file, ``…/<first>-<last>`` otherwise."""
    from gnvtools.core.params import is_comparison, load_comparison, load_params

    org = params.resolve().parent.name
    if is_comparison(params):
        years = [y.year for y in load_comparison(params).years]
        return outputs / org / f"{min(years)}-{max(years)}"
    return outputs / org / str(load_params(params).year)


def cmd_render(args: argparse.Namespace) -> int:
    from gnvtools.project.config import find_project
    from gnvtools.publish.notebook_params import convert
    from gnvtools.publish.render import parse_formats, render

    overrides = convert(args.report, args.parameter)  # checked before anything else runs
    project = find_project()
    for note in project.notes:  # what was removed from the logo or the Word template
        print(note, file=sys.stderr)
    params = Path(args.params)
    formats = parse_formats(
        args.to or ",".join(project.config.formats if project.config_file else ["html"])
    )
    outputs = project.path(project.config.output) if project.config_file else Path("outputs")
    out = Path(args.out) if args.out else default_out(params, outputs)
    # Into the project's outputs: the lock a build takes there, so the two never mix files.
    inside = out.resolve().is_relative_to(outputs.resolve())
    result = render(
        args.report,
        params,
        out,
        formats,
        style=project.style(),
        overrides=overrides,
        lock=outputs if inside else True,
        running=settings_of(args).with_project(project.config).running(),
        early=True,  # one report: its process imports while this one prepares
    )
    for fmt, path in result.files.items():
        print(f"{fmt:>5}: {path}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from gnvtools.project.config import find_project
    from gnvtools.publish.build import build, summary
    from gnvtools.publish.render_inputs import parse_formats

    project = find_project()
    config = project.config
    results, notes = build(
        Path(args.params) if args.params else project.path(config.parameters),
        Path(args.out) if args.out else project.path(config.output),
        parse_formats(args.to or ",".join(config.formats)),
        workers=args.workers or config.workers,
        force=args.force,
        progress=not args.quiet,
        style=project.style(),
        running=settings_of(args).with_project(project.config).running(),
    )
    for note in (*project.notes, *notes):
        print(note, file=sys.stderr)
    print(summary(results))
    return 1 if any(r.status == "misslyckades" for r in results) else 0


def cmd_verify(args: argparse.Namespace) -> int:
    from gnvtools.publish.verify import as_json, describe, verify

    with terminate_as_interrupt():  # a stopped verify still removes the unpacked bundle
        checks = verify(Path(args.dir), full=args.full, engine=settings_of(args).engine)
    if args.json:
        print(json.dumps(as_json(checks), ensure_ascii=False, indent=2))
    else:
        for line in describe(checks):
            print(plain(line))
    return 0 if all(c.clean for c in checks) else 1


def cmd_bundle(args: argparse.Namespace) -> int:
    from gnvtools.project.config import CONFIG_NAME, load_project
    from gnvtools.publish.bundle import ProjectConfig, bundle

    def assets(config: Path) -> tuple[Path | None, Path | None]:
        project = load_project(config)  # refuses a logo or template outside the project
        return project.word_template, project.logo

    path, reports = bundle(
        Path(args.dir), Path(args.out), project=ProjectConfig(CONFIG_NAME, assets)
    )
    print(f"Granskningspaket med {count(reports, 'rapport', 'rapporter')}: {path}")
    print(f"Kontrollera det med: gnv verify {path}")
    return 0
