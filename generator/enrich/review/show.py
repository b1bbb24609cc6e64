"""The review for a person (rich text, grouped by section, most important
first) and for tools (one JSON document). Names and paths are escaped for
the terminal: a control character in a name cannot forge a line."""
from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from generator.enrich.review import Review
from generator.enrich.review.findings import Finding, Fix
from generator.errors import escaped


def as_json(review: Review) -> dict[str, Any]:
    return {
        "records": review.records,
        "entities": review.entities,
        "limit": review.limit,
        "findings": sum(s.total for s in review.sections),
        "sections": [
            {"type": s.kind, "title": s.title, "total": s.total, "shown": len(s.findings),
             "findings": [_finding_json(f) for f in s.findings]}
            for s in review.sections
        ],
    }


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "entities": [{"kind": k, "name": n, "articles": a} for k, n, a in finding.entities],
        "articles": finding.articles,
        "files": list(finding.files),
        "more_files": finding.more_files,
        "why": finding.why,
        "fix": _fix_json(finding.fix),
        "dismiss": _fix_json(finding.dismiss),
        "command": finding.command,
    }


def _fix_json(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {"table": fix.table, "lines": list(fix.lines), "toml": fix.toml}


def render(review: Review, console: Console) -> None:
    """The report: a headline with the totals, then each section with findings."""
    total = sum(s.total for s in review.sections)
    head = Text(f"{review.records:,} record(s), {review.entities:,} entities: ", style="bold")
    head.append(f"{total:,} finding(s)" if total else "nothing to review",
                style="bold yellow" if total else "bold green")
    console.print(head)
    for section in review.sections:
        if not section.total:
            continue
        console.print()
        title = Text(f"{section.title} — {section.total:,}", style="bold underline")
        if section.total > len(section.findings):
            title.append(f" (the first {len(section.findings):,}; --limit shows more)", style="dim")
        console.print(title)
        for finding in section.findings:
            _render_finding(finding, console)
    if any(s.total and s.kind != "unapplied" for s in review.sections):
        console.print()
        console.print(Text("Lines go in entities.toml beside site.toml (blocklist before any [table]); "
                           "a 'keep' line says the names are right and silences the finding.", style="dim"))


def _render_finding(finding: Finding, console: Console) -> None:
    line = Text("  ")
    for number, (kind, name, articles) in enumerate(finding.entities):
        if number:
            line.append(", ")
        line.append(escaped(name), style="bold")
        line.append(f" ({kind}, {articles})", style="dim")
    line.append(f" — {finding.articles:,} article(s); {escaped(finding.why)}")
    console.print(line)
    files = ", ".join(escaped(f) for f in finding.files)
    if finding.more_files:
        files += f" and {finding.more_files:,} more"
    console.print(Text(f"    {files}", style="cyan"))
    _render_fix("fix: ", finding.fix, "green", console)
    _render_fix("keep:", finding.dismiss, "dim", console)
    if finding.command is not None:
        console.print(Text(f"    run:  {finding.command}", style="green"))


def _render_fix(label: str, fix: Fix | None, style: str, console: Console) -> None:
    """One line, or a table and its lines below it when there are several."""
    if fix is None:
        return
    if len(fix.lines) == 1:
        console.print(Text(f"    {label} {escaped(fix.short)}", style=style))
        return
    console.print(Text(f"    {label} [{fix.table}]", style=style))
    for line in fix.lines:
        console.print(Text(f"          {escaped(line)}", style=style))
