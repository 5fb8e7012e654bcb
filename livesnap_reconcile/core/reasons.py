"""Why a plan changes an object: a closed vocabulary, like Terraform's ``action_reason``.

Plans carry the code for programs (the plan JSON's ``reason_code``) beside the prose for people;
apply never branches on either. Adding a code is a change to the plan document's schema.
"""

from __future__ import annotations

import enum
from typing import NamedTuple


class Reason(enum.StrEnum):
    NOT_IN_STATE = "not_in_state"  # create: desired, never recorded
    EXISTS_REMOTELY = "exists_remotely"  # adopt: an unrecorded object already matches
    SUCCESSOR_EXISTS = "successor_exists"  # adopt: an interrupted replace already made the new one
    DELETED_OUTSIDE = "deleted_outside"  # create again, or forget when no longer desired
    REMOVED_FROM_MANIFEST = "removed_from_manifest"  # delete, or stop-and-forget when undeletable
    OCCURRENCE_ENDED = "occurrence_ended"  # forget: the object expired by itself
    ALREADY_STOPPED = "already_stopped"  # forget: no longer desired and already stopped or finished
    PROVIDER_CHANGED = "provider_changed"  # replace
    IMMUTABLE_CHANGED = "immutable_attribute_changed"  # replace: an attribute that cannot update in place
    STOPPED_OUTSIDE = "stopped_outside"  # replace: stopped while still desired
    MANIFEST_CHANGED = "manifest_changed"  # update in place
    CHANGED_OUTSIDE = "changed_outside"  # update in place back to the manifest
    DESIRED_STATUS = "desired_status"  # start / stop on the manifest's schedule or status
    STATUS_CHANGED_OUTSIDE = "status_changed_outside"  # start / stop back to the desired status
    TEMPLATE_UPDATED = "template_updated"  # restart: the template it runs with is updated in this plan
    WAITING_FOR_STREAM = "waiting_for_stream"  # start again: the last start found its stream not live


# Codes of changes that wait for something outside livesnap (not drift, not a failure): `drift`
# lists them apart so a scheduled check can tell "waiting" from "changed outside".
WAITING = frozenset({Reason.WAITING_FOR_STREAM})


class Because(NamedTuple):
    """A reason: the code, and the sentence people read."""

    code: Reason
    text: str
