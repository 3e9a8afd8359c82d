"""A stored photo is read for thumbnails and print a little at a time: a PNG of the largest size
accepted would take 160 MB to decode whole, so its rows are decoded in bands, each the same as
Pillow's own decoding of the whole picture."""

import io
import random
import struct
import zlib

import pytest
from PIL import Image, PngImagePlugin

from investments.photos import _png_bands, read_size, small_copy

CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def _png(width, height, depth, colour, rows, *, before=b"", after=b"") -> bytes:
    """A PNG whose rows use each of the five filters in turn, so each kind meets a band's edge."""
    per_pixel = max(1, CHANNELS[colour] * depth // 8)
    stride = (width * CHANNELS[colour] * depth + 7) // 8
    filtered, above = bytearray(), bytes(stride)
    for y, row in enumerate(rows):
        kind = y % 5
        filtered.append(kind)
        for i in range(stride):
            a = row[i - per_pixel] if i >= per_pixel else 0
            c = above[i - per_pixel] if i >= per_pixel else 0
            guess = (0, a, above[i], (a + above[i]) // 2, _paeth(a, above[i], c))[kind]
            filtered.append((row[i] - guess) % 256)
        above = row
    compressed = zlib.compress(bytes(filtered))
    # The picture in several IDAT chunks, as encoders write it.
    idat = b"".join(_chunk(b"IDAT", compressed[n : n + 500]) for n in range(0, len(compressed), 500))
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + before + idat + after + _chunk(b"IEND", b"")


FORMATS = [(8, 6), (8, 2), (8, 0), (8, 4), (16, 6), (16, 2), (16, 0), (16, 4), (1, 0), (4, 0), (8, 3), (2, 3)]


@pytest.mark.parametrize(("depth", "colour"), FORMATS)
def test_a_png_read_in_bands_is_the_picture_pillow_decodes_whole(depth, colour):
    rng = random.Random(depth * 10 + colour)
    width, height = 23, 31
    stride = (width * CHANNELS[colour] * depth + 7) // 8
    rows = [bytes(rng.randrange(256) for _ in range(stride)) for _ in range(height)]
    before = b""
    if colour == 3:
        before = _chunk(b"PLTE", bytes(rng.randrange(256) for _ in range(3 * 2**depth)))
        before += _chunk(b"tRNS", bytes(rng.randrange(256) for _ in range(2**depth)))
    data = _png(width, height, depth, colour, rows, before=before)
    whole = Image.open(io.BytesIO(data))
    whole.load()

    for band_rows in (1, 4, 30, 40):
        bands = list(_png_bands(Image.open(io.BytesIO(data)), band_rows))
        assert [band.height for band in bands[:-1]] == [band_rows] * (len(bands) - 1)
        top = 0
        for band in bands:
            expected = whole.crop((0, top, width, top + band.height))
            assert band.mode == whole.mode
            assert band.tobytes() == expected.tobytes()
            if colour == 3:  # the same colours and transparency too
                assert band.convert("RGBA").tobytes() == expected.convert("RGBA").tobytes()
            top += band.height
        assert top == height


def _large_png(**save) -> bytes:
    picture = Image.new("RGBA", (1200, 900), (0, 98, 94, 255))
    picture.paste((255, 221, 0, 128), (0, 0, 300, 200))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", **save)
    return buffer.getvalue()


def test_a_large_png_is_copied_without_ever_being_decoded_whole(monkeypatch, settings):
    loaded = []
    load = PngImagePlugin.PngImageFile.load

    def noting_load(image):
        loaded.append(image.size)
        return load(image)

    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", noting_load)
    data = _large_png()
    assert read_size(io.BytesIO(data)) == (1200, 900)
    copy = Image.open(io.BytesIO(small_copy(io.BytesIO(data), fit=(400, 400))))
    assert copy.size == (400, 300)
    assert (1200, 900) not in loaded
    assert loaded, "the bands were decoded by Pillow"

    # Transparent parts on white: half-transparent yellow shows pale, the teal as it is.
    assert _near(copy.getpixel((40, 25)), (255, 238, 127))
    assert _near(copy.getpixel((300, 200)), (0, 98, 94))


def _near(pixel, colour) -> bool:
    return all(abs(a - b) <= 6 for a, b in zip(pixel, colour, strict=True))


def _interlaced_png(width, height, colour) -> bytes:
    """An 8-bit RGB PNG of one colour, interlaced (Adam7): Pillow cannot write one."""
    passes = [
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    ]
    data = bytearray()
    for x0, y0, dx, dy in passes:
        columns = len(range(x0, width, dx))
        for _ in range(y0, height, dy):
            if columns:
                data += b"\0" + bytes(colour) * columns
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 1))
    idat = _chunk(b"IDAT", zlib.compress(bytes(data)))
    return b"\x89PNG\r\n\x1a\n" + header + idat + _chunk(b"IEND", b"")


def test_an_interlaced_png_is_still_copied():
    data = _interlaced_png(1200, 900, (0, 98, 94))
    assert Image.open(io.BytesIO(data)).info.get("interlace")
    copy = Image.open(io.BytesIO(small_copy(io.BytesIO(data), fit=(400, 400))))
    assert copy.size == (400, 300)
    assert _near(copy.getpixel((300, 200)), (0, 98, 94))


def test_a_pngs_camera_orientation_after_the_picture_is_read_without_decoding_it(monkeypatch):
    exif = Image.Exif()
    exif[0x0112] = 6  # turned a quarter: stored sideways
    rows = [bytes(4 * 40) for _ in range(20)]
    data = _png(40, 20, 8, 6, rows, after=_chunk(b"eXIf", exif.tobytes()))

    def refuse(image):
        raise AssertionError("decoded whole")

    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", refuse)
    assert read_size(io.BytesIO(data)) == (20, 40)
