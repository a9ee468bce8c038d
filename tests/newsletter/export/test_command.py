"""The export_issue management command."""

import email
import email.policy
import json
from io import BytesIO, StringIO, TextIOWrapper

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command

from newsletter import export
from tests.newsletter.export.helpers import SITE, make_issue


def test_command_writes_each_format_to_a_file(newsletter, tmp_path):
    make_issue(newsletter)
    paths = {fmt: tmp_path / f"issue.{fmt}" for fmt in export.FORMATS}
    for fmt, path in paths.items():
        call_command(
            "export_issue",
            "weekly-round-up",
            "12",
            "--format",
            fmt,
            "-o",
            str(path),
            "--to",
            "reader@example.org",
            stdout=StringIO(),
            stderr=StringIO(),
        )

    soup = BeautifulSoup(paths["html"].read_text(), "html.parser")
    assert soup.find("a", string="Unsubscribe")["href"] == "{{ unsubscribe_url }}"
    assert "Unsubscribe:" in paths["text"].read_text().splitlines()
    message = email.message_from_bytes(paths["eml"].read_bytes(), policy=email.policy.default)
    assert message["To"] == "reader@example.org"
    assert message["List-Unsubscribe"].startswith(f"<{SITE}/newsletter/unsubscribe/")
    assert json.loads(paths["json"].read_text())["number"] == 12


def test_command_addresses_an_eml_proof_to_ourselves_by_default(newsletter):
    make_issue(newsletter)
    stdout, stderr = StringIO(), StringIO()
    call_command(
        "export_issue", "weekly-round-up", "12", "--format", "eml", stdout=stdout, stderr=stderr
    )

    message = email.message_from_string(stdout.getvalue(), policy=email.policy.default)
    assert message["To"] == "newsletter@review.example.org"
    assert "proof copy" in stderr.getvalue()


def test_command_writes_the_eml_bytes_unchanged_to_a_binary_stdout(newsletter):
    make_issue(newsletter)
    stdout = TextIOWrapper(BytesIO(), encoding="utf-8")
    call_command(
        "export_issue",
        "weekly-round-up",
        "12",
        "--format",
        "eml",
        "--to",
        "reader@example.org",
        stdout=stdout,
    )

    data = stdout.buffer.getvalue()
    assert data.count(b"\r\n") == data.count(b"\n") > 10
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"


def test_command_writes_to_stdout_with_a_dialect(newsletter):
    make_issue(newsletter)
    stdout = StringIO()
    call_command(
        "export_issue",
        "weekly-round-up",
        "12",
        "--format",
        "html",
        "--dialect",
        "mailchimp",
        stdout=stdout,
    )

    assert (
        BeautifulSoup(stdout.getvalue(), "html.parser").find("a", string="Unsubscribe")["href"]
        == "*|UNSUB|*"
    )


def test_command_reports_an_unknown_issue(newsletter):
    make_issue(newsletter)

    with pytest.raises(CommandError, match="no issue 13"):
        call_command("export_issue", "weekly-round-up", "13", "--format", "html")
    with pytest.raises(CommandError, match="no issue 12 of the newsletter “nope”"):
        call_command("export_issue", "nope", "12", "--format", "html")


def test_command_turns_an_export_error_into_a_command_error(newsletter):
    make_issue(newsletter, items=0)

    with pytest.raises(CommandError, match="no stories"):
        call_command("export_issue", "weekly-round-up", "12", "--format", "json")
