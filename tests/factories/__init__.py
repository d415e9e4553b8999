"""Test data for the whole suite: users and roles, content rows, image bytes, workflow states
and newsroom prose, one module each; import them from here (`from tests.factories import X`)."""

from tests.factories.content import (
    ClaimFactory,
    FigureFactory,
    PressContactFactory,
    ReleaseFactory,
    ResponseFactory,
    SocialHandleFactory,
    SourceFactory,
    TopicFactory,
    release_with_content,
)
from tests.factories.images import (
    animated_bytes,
    exif_with_location,
    image_bytes,
    photo_bytes,
    png_bytes,
    png_declaring,
    two_colour_jpeg,
)
from tests.factories.newsroom import NEWSROOM_CLAIMS, newsroom_release
from tests.factories.states import (
    NON_PUBLIC_STATES,
    arrange_state,
    non_public_release,
    published_release,
)
from tests.factories.users import PASSWORD, UserFactory, ensure_roles

__all__ = [
    "NEWSROOM_CLAIMS",
    "NON_PUBLIC_STATES",
    "PASSWORD",
    "ClaimFactory",
    "FigureFactory",
    "PressContactFactory",
    "ReleaseFactory",
    "ResponseFactory",
    "SocialHandleFactory",
    "SourceFactory",
    "TopicFactory",
    "UserFactory",
    "animated_bytes",
    "arrange_state",
    "ensure_roles",
    "exif_with_location",
    "image_bytes",
    "newsroom_release",
    "non_public_release",
    "photo_bytes",
    "png_bytes",
    "png_declaring",
    "published_release",
    "release_with_content",
    "two_colour_jpeg",
]
