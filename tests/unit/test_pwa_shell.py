"""The PWA blueprint: the service worker's cache version follows the shell files' content."""

import json
import re
import shutil
from pathlib import Path

import pytest

from server import create_app
from server.api.pwa import DEFAULT_PWA_DIR

VERSION_LINE = re.compile(r'^const SHELL_VERSION = "([0-9a-f]{16})";$', re.MULTILINE)


@pytest.fixture
def shell(tmp_path) -> Path:
    copy = tmp_path / "pwa"
    shutil.copytree(DEFAULT_PWA_DIR, copy)
    return copy


@pytest.fixture
def shell_client(shell):
    return create_app({"TESTING": True, "PWA_DIR": str(shell)}).test_client()


def served_version(client) -> str:
    response = client.get("/sw.js")
    assert response.status_code == 200
    match = VERSION_LINE.search(response.get_data(as_text=True))
    assert match, "sw.js must carry the computed version"
    return match.group(1)


def test_version_is_stable_while_the_shell_is_unchanged(shell_client):
    assert served_version(shell_client) == served_version(shell_client)


@pytest.mark.parametrize("changed", ["styles.css", "app.js", "views/home.js", "shared/dom.js", "shared/tokens.css", "index.html", "sw.js"])
def test_version_changes_when_a_shell_file_changes(shell, shell_client, changed):
    before = served_version(shell_client)
    path = shell / changed
    path.write_text(path.read_text() + "\n/* changed */\n" if changed != "index.html" else path.read_text() + "\n")
    assert served_version(shell_client) != before


def test_service_worker_headers_and_precache_list(shell_client):
    response = shell_client.get("/sw.js")
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.mimetype == "text/javascript"
    files = re.search(r"^const SHELL_FILES = (.*);$", response.get_data(as_text=True), re.MULTILINE).group(1)
    for url in ('"/"', '"/app.js"', '"/styles.css"', '"/views/form.js"', '"/icons/icon-192.png"',
                '"/shared/dom.js"', '"/shared/api.js"', '"/shared/dates.js"', '"/shared/forms.js"', '"/shared/tokens.css"'):
        assert url in files
    assert '"/sw.js"' not in files and '"/index.html"' not in files


@pytest.mark.parametrize("path, mimetype", [
    ("/", "text/html"),
    ("/app.js", "text/javascript"),
    ("/shared/dom.js", "text/javascript"),
    ("/shared/tokens.css", "text/css"),
    ("/styles.css", "text/css"),
    ("/manifest.webmanifest", "application/manifest+json"),
    ("/icons/icon-512.png", "image/png"),
])
def test_shell_files_are_served_with_their_content_type_and_a_strict_policy(shell_client, path, mimetype):
    response = shell_client.get(path)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/../server/config.py", "/api/nope", "/README.md", "/icons/missing.png"])
def test_nothing_outside_the_shell_is_served(shell_client, path):
    assert shell_client.get(path).status_code == 404


def test_the_shell_has_no_inline_script_or_style():
    html = (DEFAULT_PWA_DIR / "index.html").read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "style=" not in html and "<style" not in html
    for script in DEFAULT_PWA_DIR.rglob("*.js"):
        assert ".innerHTML" not in script.read_text(), script
        assert "console.log" not in script.read_text(), script


@pytest.mark.parametrize("path", ["/", "/app.js", "/shared/tokens.css", "/review/app.js", "/sw.js"])
def test_text_files_are_gzipped_with_a_content_etag_and_answer_304_when_unchanged(shell_client, path):
    plain = shell_client.get(path)
    zipped = shell_client.get(path, headers={"Accept-Encoding": "gzip, br"})
    assert zipped.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in zipped.headers["Vary"]
    import gzip
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    etag = zipped.headers["ETag"]
    assert etag == plain.headers["ETag"]
    again = shell_client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and not again.get_data()


def test_the_worker_carries_each_shell_files_etag(shell, shell_client):
    source = shell_client.get("/sw.js").get_data(as_text=True)
    hashes = json.loads(re.search(r"^const SHELL_HASHES = (.*);$", source, re.MULTILINE).group(1))
    files = json.loads(re.search(r"^const SHELL_FILES = (.*);$", source, re.MULTILINE).group(1))
    assert set(hashes) == set(files)
    for url in ("/", "/app.js", "/icons/icon-192.png"):
        assert shell_client.get(url).headers["ETag"] == f'W/"{hashes[url]}"'
    (shell / "app.js").write_text((shell / "app.js").read_text() + "\n// changed\n")
    changed = json.loads(re.search(r"^const SHELL_HASHES = (.*);$", shell_client.get("/sw.js").get_data(as_text=True),
                                   re.MULTILINE).group(1))
    assert changed["/app.js"] != hashes["/app.js"] and changed["/"] == hashes["/"]
