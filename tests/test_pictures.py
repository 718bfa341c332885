"""Rendered pictures: square, small, the expected frames; the disk cache reused and rebuilt."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest
from PIL import Image

from bench import bench_media
from bot.domain.poses import radius
from bot.pictures import cache
from bot.pictures.animation import FPS, frame_count, scene_for, sides_of, timeline
from bot.pictures.figure import SIZE, STEP_DEPTH
from content import Content, Exercise, load_content

CONTENT = load_content()
ONE_MB = 1024 * 1024


def _subset(content: Content, *ids: str) -> Content:
    chosen = tuple(e for e in content.exercises if e.id in ids)
    return Content(chosen, content.answers, content.safety, content.messages)


def _exercise(content: Content, exercise_id: str) -> Exercise:
    exercise = content.exercise(exercise_id)
    assert exercise is not None
    return exercise


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Content]:
    folder = tmp_path_factory.mktemp("pictures")
    content = _subset(CONTENT, "pelvic_tilt", "seated_twist")
    cache.render_missing(folder, content)
    return folder, content


def test_one_animation_and_one_still_per_exercise_and_side(
    rendered: tuple[Path, Content],
) -> None:
    folder, content = rendered
    names = sorted("-".join(path.name.split("-")[:2]) + path.suffix for path in folder.iterdir())
    assert names == [
        "pelvic_tilt-both.mp4",
        "pelvic_tilt-both.png",
        "seated_twist-left.mp4",
        "seated_twist-left.png",
        "seated_twist-right.mp4",
        "seated_twist-right.png",
    ]
    for exercise in content.exercises:
        for side in sides_of(exercise):
            assert cache.lookup(folder, content, exercise.id, side) is not None
            assert cache.lookup(folder, content, exercise.id, side, "still") is not None


def test_animations_are_square_small_h264_without_sound_with_the_expected_frames(
    rendered: tuple[Path, Content],
) -> None:
    folder, content = rendered
    for item in cache.pictures(folder, content):
        if item.kind != "animation":
            continue
        exercise = _exercise(content, item.exercise_id)
        assert 0 < item.path.stat().st_size < ONE_MB
        reader = imageio_ffmpeg.read_frames(str(item.path))
        meta = next(reader)
        reader.close()
        assert meta["codec"] == "h264"
        assert meta["size"] == (SIZE, SIZE)
        assert meta["fps"] == FPS
        frames, _ = imageio_ffmpeg.count_frames_and_secs(str(item.path))
        assert frames == frame_count(exercise)
        probe = subprocess.run(  # noqa: S603 - the ffmpeg binary shipped in the wheel
            [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(item.path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert "Video: h264" in probe.stderr
        assert "Audio:" not in probe.stderr


def test_stills_are_square_pngs_under_a_megabyte(rendered: tuple[Path, Content]) -> None:
    folder, content = rendered
    for item in cache.pictures(folder, content):
        if item.kind == "still":
            assert item.path.stat().st_size < ONE_MB
            with Image.open(item.path) as image:
                assert image.format == "PNG"
                assert image.size == (SIZE, SIZE)


def test_the_left_side_is_the_mirror_image_of_the_right(rendered: tuple[Path, Content]) -> None:
    folder, content = rendered
    right = cache.lookup(folder, content, "seated_twist", "right", "still")
    left = cache.lookup(folder, content, "seated_twist", "left", "still")
    assert right is not None
    assert left is not None
    with Image.open(right.path) as a, Image.open(left.path) as b:
        assert a.tobytes() != b.tobytes()
        flipped = a.transpose(Image.Transpose.FLIP_LEFT_RIGHT).convert("L")
        other = b.convert("L")
        # Same drawing, mirrored: nearly every pixel matches (the labels are not mirrored).
        same = sum(
            1 for p, q in zip(flipped.tobytes(), other.tobytes(), strict=True) if abs(p - q) < 40
        )
        assert same / (SIZE * SIZE) > 0.97


def test_nothing_is_drawn_again_when_nothing_changed(tmp_path: Path) -> None:
    content = _subset(CONTENT, "pelvic_tilt")
    first = cache.render_missing(tmp_path, content)
    stamps = {path: path.stat().st_mtime_ns for path in tmp_path.iterdir()}

    second = cache.render_missing(tmp_path, content)

    assert len(first) == 2
    assert second == []
    assert {path: path.stat().st_mtime_ns for path in tmp_path.iterdir()} == stamps


def test_changed_pose_data_or_renderer_version_draws_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = _subset(CONTENT, "pelvic_tilt")
    cache.render_missing(tmp_path, content)
    before = {path.name for path in tmp_path.iterdir()}

    exercise = _exercise(content, "pelvic_tilt")
    assert exercise.poses is not None
    hold = exercise.poses.keys["hold"]
    poses = exercise.poses.model_copy(
        update={"keys": {**exercise.poses.keys, "hold": hold.model_copy(update={"neck": 8.0})}}
    )
    changed = Content(
        (exercise.model_copy(update={"poses": poses}),),
        content.answers,
        content.safety,
        content.messages,
    )
    assert cache.lookup(tmp_path, changed, "pelvic_tilt", "both") is None  # not drawn yet
    drawn = cache.render_missing(tmp_path, changed)
    after = {path.name for path in tmp_path.iterdir()}

    assert len(drawn) == 2
    assert len(after) == 2
    assert after.isdisjoint(before)

    monkeypatch.setattr(cache, "RENDERER_VERSION", cache.RENDERER_VERSION + 1)
    assert len(cache.render_missing(tmp_path, changed)) == 2


def test_lookup_is_none_until_drawn_and_for_unknown_exercises_or_sides(tmp_path: Path) -> None:
    content = _subset(CONTENT, "pelvic_tilt")

    assert cache.lookup(tmp_path, content, "pelvic_tilt", "both") is None
    cache.render_missing(tmp_path, content)
    found = cache.lookup(tmp_path, content, "pelvic_tilt", "both")

    assert found is not None
    assert found.path.is_file()
    assert found.kind == "animation"
    assert cache.lookup(tmp_path, content, "pelvic_tilt", "left") is None
    assert cache.lookup(tmp_path, content, "no_such_stretch", "both") is None


def test_every_exercise_has_a_cache_key_per_side_and_kind() -> None:
    items = cache.pictures(Path("unused"), CONTENT)
    per_side = sum(2 if e.per_side else 1 for e in CONTENT.exercises)

    assert len(items) == 2 * per_side
    assert len({item.key for item in items}) == len(items)


def test_no_frame_of_any_loop_goes_through_the_floor_or_the_step() -> None:
    for exercise in CONTENT.exercises:
        for side in sides_of(exercise):
            frames = timeline(exercise, side)
            step = scene_for(exercise, side, frames, ("", "")).step
            for index, frame in enumerate(frames):
                for name, (x, y) in frame.points.items():
                    surface = y - radius(name)
                    where = (exercise.id, side, index, name)
                    assert surface > -4.0, where
                    if step is not None and abs(x - step[0]) < STEP_DEPTH / 2:
                        assert surface > step[1] - 4.0, where


def test_media_benchmark_draws_from_scratch_and_reports_each_animation() -> None:
    result = bench_media.main(["--only", "pelvic_tilt", "--lookups", "3"])

    assert result.pictures == 2
    (row,) = result.animations
    assert row.frames == frame_count(_exercise(CONTENT, "pelvic_tilt"))
    assert 0 < row.size < ONE_MB
