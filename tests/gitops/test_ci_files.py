"""The CI examples, the pre-commit hook and the README run only real commands with real options.

What we test here: the workflow files are valid YAML with the triggers users expect (plan on
pull request with a markdown PR comment, apply of the saved plan artifact on merge, a scheduled
drift job); every `livesnap ...` command they (and the docs) run names an existing command and
only flags that command's `--help` lists; the pre-commit hook exposes `livesnap validate` on
YAML files in a manifests directory.
"""

from __future__ import annotations

import functools
import re
import shlex
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
GITHUB = ROOT / "examples" / "ci" / "github-actions.yml"
GITLAB = ROOT / "examples" / "ci" / "gitlab-ci.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
DOCS = ROOT / "README.md"


# --- reading livesnap commands out of shell text -------------------------------------------------


def livesnap_commands(script: str) -> list[list[str]]:
    """Each `livesnap ...` simple command in a shell script, as its argument list."""
    script = script.replace("\\\n", " ")
    out = []
    for line in script.splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        words: list[str] = []
        for token in [*lexer, ";"]:
            if token and set(token) <= set("|&;()<>"):
                if words and words[0] == "livesnap":
                    out.append(words[1:])
                words = [] if token[0] != ">" else ["<redirect>"]
            elif words == ["<redirect>"]:
                words = ["<target>"]  # the file after > is not part of any command
            else:
                words.append(token)
    return out


@functools.cache
def help_text(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, f"livesnap {' '.join(path)} --help failed: {result.output}"
    return result.output


def _section(text: str, title: str) -> list[str]:
    lines, inside = [], False
    for line in text.splitlines():
        if line.rstrip() == f"{title}:":
            inside = True
        elif inside and line and not line.startswith(" "):
            inside = False
        elif inside:
            lines.append(line)
    return lines


def options(path: tuple[str, ...]) -> dict[str, bool]:
    """flag -> takes a value, from the Options section of `livesnap PATH --help`."""
    found: dict[str, bool] = {}
    for line in _section(help_text(path), "Options"):
        declaration = re.split(r"\s{2,}", line.strip())[0]
        if not declaration.startswith("-"):
            continue
        words = declaration.replace(",", " ").split()
        takes_value = any(not w.startswith("-") and w != "/" for w in words)
        for word in words:
            if word.startswith("-"):
                found[word] = takes_value
    return found


def subcommands(path: tuple[str, ...]) -> set[str]:
    return {line.split()[0] for line in _section(help_text(path), "Commands") if line.strip()}


def check_command(args: list[str]) -> tuple[str, ...]:
    """Walk the args as click would; return the command path. Fails on unknown commands/flags."""
    path: tuple[str, ...] = ()
    i = 0
    positional_seen = False
    while i < len(args):
        word = args[i]
        if word.startswith("-") and word != "-":
            known = options(path)
            name = word.split("=", 1)[0]
            assert name in known, f"`livesnap {' '.join(args)}`: {name} is not an option of livesnap {' '.join(path)}"
            i += 2 if known[name] and "=" not in word else 1
            continue
        commands = subcommands(path)
        if commands and not positional_seen:
            assert word in commands, f"`livesnap {' '.join(args)}`: {word} is not a livesnap command"
            path += (word,)
        else:
            positional_seen = True
        i += 1
    eager = {"--version", "--help", "-h"}  # the group's own actions need no sub-command
    assert (path and not subcommands(path)) or (not path and eager & set(args)), \
        f"`livesnap {' '.join(args)}` does not name a command"
    return path


# --- the files ------------------------------------------------------------------------------------


def _github() -> dict:
    return yaml.safe_load(GITHUB.read_text())


def _gitlab() -> dict:
    return yaml.safe_load(GITLAB.read_text())


def github_scripts(doc: dict) -> dict[str, list[str]]:
    return {name: [step["run"] for step in job.get("steps", []) if "run" in step]
            for name, job in doc["jobs"].items()}


def gitlab_scripts(doc: dict) -> dict[str, list[str]]:
    out = {}
    for name, job in doc.items():
        if isinstance(job, dict) and ("script" in job or "before_script" in job):
            out[name] = [str(s) for s in [*job.get("before_script", []), *job.get("script", [])]]
    return out


def all_commands(scripts: dict[str, list[str]]) -> dict[str, list[list[str]]]:
    return {job: [c for s in texts for c in livesnap_commands(s)] for job, texts in scripts.items()}


def test_extractor_finds_commands_in_pipelines_and_redirections():
    script = 'set +e\nlivesnap --no-color plan m/ --format markdown -o p.json > plan.md\ncode=$?\n' \
             'livesnap drift m/ | tee -a "$OUT" && echo done\n# livesnap comment --ignored\n'
    assert livesnap_commands(script) == [["--no-color", "plan", "m/", "--format", "markdown", "-o", "p.json"],
                                         ["drift", "m/"]]
    with pytest.raises(AssertionError, match="--no-such"):
        check_command(["plan", "m/", "--no-such"])
    with pytest.raises(AssertionError, match="not a livesnap command"):
        check_command(["plann", "m/"])
    assert check_command(["--sandbox", "state", "rm", "task.x", "--yes"]) == ("state", "rm")


@pytest.mark.parametrize("source", ["github", "gitlab"])
def test_every_livesnap_command_in_the_pipelines_is_real(source):
    doc = _github() if source == "github" else _gitlab()
    scripts = github_scripts(doc) if source == "github" else gitlab_scripts(doc)
    used = {check_command(cmd) for cmds in all_commands(scripts).values() for cmd in cmds}
    assert {("validate",), ("plan",), ("apply",), ("drift",)} <= used


def test_github_workflow_shape():
    doc = _github()
    triggers = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as true
    assert {"pull_request", "push", "schedule"} <= set(triggers)
    assert triggers["push"]["branches"] == ["main"]
    assert triggers["schedule"][0]["cron"].count(" ") == 4
    jobs, commands = doc["jobs"], all_commands(github_scripts(doc))

    pr = jobs["pr-plan"]
    assert "pull_request" in pr["if"] and pr["permissions"]["pull-requests"] == "write"
    (plan,) = [c for c in commands["pr-plan"] if "plan" in c]
    assert plan[plan.index("--format") + 1] == "markdown"
    assert any("gh pr comment" in s and "plan.md" in s for s in github_scripts(doc)["pr-plan"])

    uploaded = {s["with"]["name"]: s["with"]["path"] for s in jobs["plan"]["steps"]
                if str(s.get("uses", "")).startswith("actions/upload-artifact")}
    (saved,) = [c[c.index("-o") + 1] for c in commands["plan"] if "-o" in c]
    assert uploaded == {"livesnap-plan": saved}
    apply = jobs["apply"]
    assert apply["needs"] == "plan"
    downloads = [s["with"]["name"] for s in apply["steps"] if str(s.get("uses", "")).startswith("actions/download-artifact")]
    assert downloads == ["livesnap-plan"]
    assert [c[:2] for c in commands["apply"]] == [["--no-color", "apply"]] and saved in commands["apply"][0]
    assert "schedule" in jobs["drift"]["if"] and [c[1] for c in commands["drift"]] == ["drift"]


def test_gitlab_pipeline_shape():
    doc = _gitlab()
    stages = doc["stages"]
    jobs = {n: j for n, j in doc.items() if isinstance(j, dict) and "script" in j}
    assert all(job["stage"] in stages for job in jobs.values())
    assert any("merge_request_event" in r["if"] for r in jobs["mr-plan"]["rules"])
    assert any("schedule" in r["if"] for r in jobs["drift"]["rules"])
    assert jobs["apply"]["needs"] == ["plan"] and "plan.json" in jobs["plan"]["artifacts"]["paths"]
    assert any("apply plan.json" in s for s in jobs["apply"]["script"])


def test_pre_commit_hook_runs_validate_on_manifest_yaml():
    (hook,) = yaml.safe_load(HOOKS.read_text())
    assert hook["id"] == "livesnap-validate"
    words = shlex.split(hook["entry"]) + list(hook.get("args", []))
    assert words[0] == "livesnap" and check_command(words[1:]) == ("validate",)
    files = re.compile(hook["files"])
    for path in ("manifests/live.yaml", "infra/manifests/events.yml"):
        assert files.search(path), path
    for path in ("src/app.py", "manifests/README.md", "other/live.yaml"):
        assert not files.search(path), path


def test_docs_commands_are_real():
    text = DOCS.read_text()
    blocks = re.findall(r"```(?:bash|sh|console)\n(.*?)```", text, flags=re.S)
    commands = [c for block in blocks for c in livesnap_commands(block)]
    used = {check_command(c) for c in commands}
    assert {("plan",), ("apply",), ("drift",), ("reconcile",), ("import",), ("state", "rm")} <= used
    inline = re.findall(r"`livesnap ([^`]+)`", text)
    for snippet in inline:
        words = [w for w in shlex.split(snippet) if w not in ("PATH...", "...")]
        check_command(words)
