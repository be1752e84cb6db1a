"""Check-in by phone camera, in a real Chromium whose camera is a video file of a finalist's QR code.

Chromium's fake capture device plays a Y4M file: the test draws the check-in QR code the status page shows the
finalist (segno, as the app makes it) into YUV 4:2:0 frames. The organizer presses "Scan with camera"; jsQR (served
from our static files) reads the code, fills the text box a USB scanner types into, and submits that form."""

import re

import numpy as np
import pytest
import segno
from django.urls import reverse
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from applications.models import Application
from applications.tests.factories import ApplicationFactory
from conftest import CHROMIUM
from hackathon.models import EventRole
from hackathon.tests.factories import EventFactory, timeline_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]

WIDTH, HEIGHT = 640, 480


def qr_y4m(text: str, path, *, frames: int = 10) -> None:
    """A Y4M video (C420) of the QR code of `text`: black modules on white, centred, 4 modules of quiet zone."""
    matrix = np.array(segno.make(text, error="m").matrix, dtype=bool)
    modules = matrix.shape[0] + 8
    scale = min(WIDTH, HEIGHT) * 9 // 10 // modules
    code = np.kron(np.pad(matrix, 4), np.ones((scale, scale), dtype=bool))
    luma = np.full((HEIGHT, WIDTH), 235, dtype=np.uint8)
    top, left = (HEIGHT - code.shape[0]) // 2, (WIDTH - code.shape[1]) // 2
    luma[top : top + code.shape[0], left : left + code.shape[1]][code] = 16
    chroma = np.full((HEIGHT // 2, WIDTH // 2), 128, dtype=np.uint8)
    frame = b"FRAME\n" + luma.tobytes() + chroma.tobytes() + chroma.tobytes()
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(frame)


@pytest.fixture
def camera_browser(browser, tmp_path):
    """A second Chromium (from the session's Playwright) whose camera shows the file the test writes first."""
    launched = []

    def launch(video_path):
        camera = browser.browser_type.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video_path}",
            ],
        )
        launched.append(camera)
        return camera

    yield launch
    for camera in launched:
        camera.close()


def test_organizer_checks_a_finalist_in_with_the_phone_camera(camera_browser, live_server, log_in, tmp_path):
    event = EventFactory(timeline=timeline_at("hacking"))
    organizer = UserFactory()
    EventRole.objects.create(event=event, user=organizer, role=EventRole.Role.ORGANIZER)
    finalist = ApplicationFactory(event=event, status=Application.Status.CONFIRMED, decision="accept")
    checkin_path = reverse("applications:checkin", kwargs={"event_slug": event.slug})
    # What the finalist's status page encodes in their QR code (applications.views._checkin_url).
    qr_y4m(f"{live_server.url}{checkin_path}?token={finalist.checkin_token}", tmp_path / "qr.y4m")

    camera = camera_browser(tmp_path / "qr.y4m")
    context = camera.new_context(base_url=live_server.url, locale="en-US", viewport={"width": 390, "height": 844})
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, organizer)
    page.goto(checkin_path)

    # The text box for USB scanners is still there, and the camera button next to it.
    expect(page.get_by_label("Scan or type the finalist's code")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Scan with camera").click()

    expect(page.get_by_test_id("checkin-result")).to_contain_text(
        f"{finalist.user.display_name} (AI engineer) is checked in."
    )
    finalist.refresh_from_db()
    assert finalist.checked_in_at is not None and finalist.checked_in_by_id == organizer.pk

    # The camera starts again by itself for the next finalist, and does not send the same code twice.
    expect(page.get_by_role("button", name="Stop camera")).to_be_visible()
    page.wait_for_timeout(1500)
    expect(page.get_by_test_id("checkin-result")).to_contain_text("is checked in.")
    page.get_by_role("button", name="Stop camera").click()
    expect(page.get_by_test_id("camera-status")).to_have_text("Camera stopped.")
    expect(page.get_by_role("button", name="Scan with camera")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not errors, errors
    assert re.search(r"/apply/checkin/$", page.url)
