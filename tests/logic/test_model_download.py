"""Model downloads against a real HTTP server on 127.0.0.1 serving zips the tests make.

The zips hold a tiny folder with a Vosk model's layout (the download's model check is structural; the
real loading of a model is tested in test_vosk.py). Every failure must leave the models folder as it was.
Ctrl-C in a real download process is proven in tests/engines/test_model_download_process.py.
"""

import hashlib
import io
import shutil
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from voicecare.cli.commands.models import ProgressReporter
from voicecare.cli.main import main
from voicecare.errors import ModelError
from voicecare.model_store.checksums import read_records
from voicecare.model_store.download import download_model
from voicecare.model_store.locate import model_problem
from voicecare.model_store.manifest import ModelEntry

MODEL_FILES = ["am/final.mdl", "conf/mfcc.conf", "conf/model.conf", "graph/HCLr.fst", "graph/Gr.fst"]


def make_model_zip(
    top: str = "vosk-model-fake-0.1", payload: bytes = b"", files: list[str] = MODEL_FILES
) -> bytes:
    """A zip of a folder ``top`` with a Vosk model's layout; ``payload`` pads final.mdl (several blocks)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name in files:
            body = payload if name.endswith("final.mdl") else f"fake {name}\n".encode()
            archive.writestr(f"{top}/{name}", body)
    return buffer.getvalue()


GOOD_ZIP = make_model_zip(payload=bytes(range(256)) * 1024)
OTHER_ZIP = make_model_zip(payload=bytes(range(255, -1, -1)) * 1024)
NOT_A_MODEL_ZIP = make_model_zip(files=["README", "data/words.txt"])


class Server:
    """What the test server sends for each path; ``release`` ends the stalled response."""

    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {
            "/good.zip": GOOD_ZIP,
            "/other.zip": OTHER_ZIP,
            "/not-a-model.zip": NOT_A_MODEL_ZIP,
            "/not-a-zip.zip": b"<html>this is a web page, not a zip</html>" * 100,
        }
        self.release = threading.Event()
        self.url = ""


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path in state.bodies:
                body = state.bodies[self.path]
                self._head(len(body))
                self.wfile.write(body)
            elif self.path == "/truncated.zip":
                self._head(len(GOOD_ZIP) + 10_000)
                self.wfile.write(GOOD_ZIP[:100_000])
                self.close_connection = True
            elif self.path == "/stall.zip":
                self._head(len(GOOD_ZIP))
                self.wfile.write(GOOD_ZIP[:150_000])
                self.wfile.flush()
                state.release.wait(timeout=10)
            else:
                self.send_error(404)

        def _head(self, length: int) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(length))
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield state
    state.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def entry(sha256: str = hashlib.sha256(GOOD_ZIP).hexdigest(), name: str = "fake") -> ModelEntry:
    return ModelEntry(
        name,
        "vosk-model-fake-0.1",
        "http://127.0.0.1:9/unused.zip",
        "en-US",
        len(GOOD_ZIP),
        sha256,
        bool(sha256),
        "a fake model for tests",
    )


def write_manifest(path: Path, sha256: str) -> Path:
    path.write_text(
        '[fake]\narchive = "vosk-model-fake-0.1"\nurl = "http://127.0.0.1:9/unused.zip"\nlanguage = "en-US"\n'
        f'size_bytes = {len(GOOD_ZIP)}\nsha256 = "{sha256}"\nverified = {str(bool(sha256)).lower()}\n'
        'description = "a fake model for tests"\n'
    )
    return path


def leftovers(models: Path) -> list[str]:
    return sorted(child.name for child in models.iterdir()) if models.exists() else []


def test_a_good_download_installs_the_model_and_prints_where(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    models = tmp_path / "models"
    manifest = write_manifest(tmp_path / "manifest.toml", hashlib.sha256(GOOD_ZIP).hexdigest())
    code = main(
        [
            "models",
            "download",
            "fake",
            "--url",
            f"{server.url}/good.zip",
            "--dest",
            str(models),
            "--manifest",
            str(manifest),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert out.strip() == str(models / "fake")
    assert model_problem(models / "fake") is None
    assert (models / "fake" / "am" / "final.mdl").read_bytes() == bytes(range(256)) * 1024
    assert leftovers(models) == ["fake"]
    assert "100%" in err
    assert "published checksum" in err

    assert main(["models", "path", "fake", "--models-dir", str(models), "--manifest", str(manifest)]) == 0
    assert capsys.readouterr().out.strip() == str(models / "fake")
    assert main(["models", "list", "--models-dir", str(models), "--manifest", str(manifest)]) == 0
    assert f"yes: {models / 'fake'}" in capsys.readouterr().out


def test_a_second_download_of_an_installed_model_changes_nothing(server: Server, tmp_path: Path) -> None:
    first = download_model(entry(), tmp_path, url=f"{server.url}/good.zip")
    again = download_model(entry(), tmp_path, url=f"{server.url}/other.zip")
    assert again.already_there
    assert again.path == first.path
    assert (first.path / "am" / "final.mdl").read_bytes() == bytes(range(256)) * 1024


def test_a_bad_checksum_leaves_nothing_and_is_one_line_exit_2(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    models = tmp_path / "models"
    manifest = write_manifest(tmp_path / "manifest.toml", hashlib.sha256(GOOD_ZIP).hexdigest())
    code = main(
        [
            "models",
            "download",
            "fake",
            "--url",
            f"{server.url}/other.zip",
            "--dest",
            str(models),
            "--manifest",
            str(manifest),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    message = [line for line in err.splitlines() if "checksum mismatch" in line]
    assert len(message) == 1
    assert hashlib.sha256(OTHER_ZIP).hexdigest() in message[0]
    assert leftovers(models) == []


def test_the_official_small_english_model_refuses_a_file_that_is_not_it(
    server: Server, tmp_path: Path
) -> None:
    url = f"{server.url}/good.zip"
    code = main(["models", "download", "small-en-us", "--url", url, "--dest", str(tmp_path)])
    assert code == 2
    assert leftovers(tmp_path) == []


def test_without_a_published_checksum_the_first_download_is_recorded_and_later_ones_must_match(
    server: Server, tmp_path: Path
) -> None:
    unpinned = entry(sha256="")
    first = download_model(unpinned, tmp_path, url=f"{server.url}/good.zip")
    assert "recorded" in first.check
    assert read_records(tmp_path) == {"fake": hashlib.sha256(GOOD_ZIP).hexdigest()}

    shutil.rmtree(first.path)
    with pytest.raises(ModelError, match="checksum mismatch"):
        download_model(unpinned, tmp_path, url=f"{server.url}/other.zip")
    assert leftovers(tmp_path) == ["checksums.toml"]
    assert download_model(unpinned, tmp_path, url=f"{server.url}/good.zip").sha256 == first.sha256


def test_a_truncated_transfer_leaves_nothing(server: Server, tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cut short") as caught:
        download_model(entry(), tmp_path, url=f"{server.url}/truncated.zip")
    assert "\n" not in caught.value.one_line()
    assert leftovers(tmp_path) == []


def test_an_interrupt_mid_stream_leaves_nothing(server: Server, tmp_path: Path) -> None:
    seen: list[int] = []

    def press_ctrl_c(received: int, total: int | None) -> None:
        seen.append(received)
        if received > 100_000:
            assert leftovers(tmp_path) != []
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        download_model(entry(), tmp_path, url=f"{server.url}/stall.zip", progress=press_ctrl_c)
    assert seen[-1] < len(GOOD_ZIP)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/not-a-zip.zip", "not a usable zip"),
        ("/not-a-model.zip", "not a Vosk model"),
        ("/missing.zip", "HTTP 404"),
    ],
)
def test_a_bad_file_is_a_model_error_and_leaves_nothing(
    server: Server, tmp_path: Path, path: str, problem: str
) -> None:
    unpinned = entry(sha256="")
    with pytest.raises(ModelError, match=problem):
        download_model(unpinned, tmp_path, url=f"{server.url}{path}")
    assert leftovers(tmp_path) == []


def test_an_unreachable_server_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot reach"):
        download_model(entry(), tmp_path, url="http://127.0.0.1:9/model.zip")
    assert leftovers(tmp_path) == []


def test_a_zip_that_writes_outside_its_folder_is_refused(server: Server, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../escaped.txt", "gotcha")
    server.bodies["/evil.zip"] = buffer.getvalue()
    models = tmp_path / "models"
    with pytest.raises(ModelError, match="unsafe path"):
        download_model(entry(sha256=""), models, url=f"{server.url}/evil.zip")
    assert not (tmp_path / "escaped.txt").exists()
    assert leftovers(models) == []


def test_an_unknown_model_name_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "download", "no-such-model", "--dest", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "unknown model 'no-such-model'" in err
    assert "small-en-us" in err
    assert leftovers(tmp_path) == []


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_redrawn_bar_on_a_terminal_and_occasional_lines_otherwise() -> None:
    terminal, log = Terminal(), io.StringIO()
    for stream in (terminal, log):
        reporter = ProgressReporter(entry(), stream)
        for received in range(0, 1_000_001, 50_000):
            reporter(received, 1_000_000)
        reporter.close()
    assert terminal.getvalue().count("\r") == 21
    assert terminal.getvalue().endswith("] 100% 1.0/1.0 MB\n")
    lines = log.getvalue().splitlines()
    assert [line.split()[2] for line in lines] == [f"{percent}%" for percent in range(10, 101, 10)]


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('sha256 = "abc"', "sha256"),
        ("size_bytes = -1", "size_bytes"),
        ('url = "ftp://example.org/x.zip"', "url"),
        ('mirror = "x"', "has unknown keys ['mirror']"),
    ],
)
def test_a_bad_manifest_entry_is_a_config_error_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, key: str
) -> None:
    manifest = write_manifest(tmp_path / "manifest.toml", "")
    name = line.split(" = ")[0]
    kept = [row for row in manifest.read_text().splitlines() if not row.startswith(f"{name} = ")]
    manifest.write_text("\n".join([*kept, line]) + "\n")
    assert main(["models", "list", "--manifest", str(manifest)]) == 2
    err = capsys.readouterr().err
    assert f"{manifest}: [fake] {key}" in err
    assert err.count("\n") == 1
