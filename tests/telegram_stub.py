"""A Bot API stand-in: a real HTTP server on 127.0.0.1 that answers like Telegram does.

The bot under test (in this process or another) talks to it through ``base_url``; tests push
updates as users would and read back what the bot sent, edited and deleted. State is shared
between the server's threads and the test's event loop, so every access holds one lock.

Forum topics are made the way Telegram makes them: a supergroup with ``is_forum``,
createForumTopic (the bot needs ``can_manage_topics``) whose service message's id is the
topic's ``message_thread_id``, messages sent into a topic carrying it, closed topics refusing
messages, and edits, closes and reopens posting their own service messages. Like Telegram, the
stand-in lets a bot post about 20 messages a minute into one group (a leaky bucket of 20 that
drains in a minute) and answers 429 with ``retry_after`` beyond that.

Files are served as Telegram serves them: the photos and documents users send carry real
bytes (tests pass generated pictures), getFile answers with a ``file_path`` (or refuses a file
over 20 MB with "file is too big", an unknown id with "invalid file_id"), and the file is then
downloaded from ``/file/bot<token>/<file_path>``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import inspect
import itertools
import json
import math
import re
import socket
import struct
import sys
import threading
import time
import traceback
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

JSON = dict[str, Any]

DEFAULT_TOKEN = "123456:TEST"
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_ANSWER_TEXT = 200
MAX_DELETE_BATCH = 100
MAX_UPDATES = 100
MAX_TOPIC_NAME = 128
MAX_DOWNLOAD = 20 * 1024 * 1024
"""The biggest file getFile hands a bot (20 MB); beyond it Telegram answers 'file is too big'."""
# Telegram's fixed set of topic colours (ForumIconColor): blue, yellow, violet, green, rose, red.
TOPIC_COLORS = frozenset({7322096, 16766590, 13338331, 9367192, 16749490, 16478047})
GROUP_LIMIT = (20, 60.0)
"""Messages a bot may post into one group, and the seconds the bucket takes to drain."""
# Calls that put a message into a group, the ones Telegram's per-group limit counts.
GROUP_POSTS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "sendVoice", "sendSticker", "sendLocation",
        "copyMessage", "createForumTopic", "editForumTopic", "closeForumTopic",
        "reopenForumTopic",
    }
)  # fmt: skip
WAIT_SLICE = 0.25
COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)")
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
# PTB sends strings as they are and everything else JSON-encoded; these fields are always text.
STRING_FIELDS = frozenset(
    {
        "text", "caption", "callback_query_id", "inline_message_id", "language_code",
        "parse_mode", "url", "secret_token", "ip_address", "data", "description",
        "short_description", "name", "title", "emoji", "address", "phone_number", "first_name",
        "last_name", "vcard", "business_connection_id", "message_effect_id", "query",
        "photo", "document", "voice", "audio", "video", "animation", "video_note", "sticker",
        "thumbnail", "custom_emoji_id", "foursquare_id", "foursquare_type", "google_place_id",
        "google_place_type", "action", "payload", "currency", "provider_token",
    }
)  # fmt: skip
GROUP_TYPES = frozenset({"group", "supergroup", "channel"})
MIGRATED = "group chat was upgraded to a supergroup chat"
ADMIN_STATUSES = frozenset({"creator", "administrator"})
STATUS_ALIASES = {"owner": "creator", "banned": "kicked"}
CONTENT_FIELDS = (
    "text", "entities", "caption", "caption_entities", "photo", "sticker", "voice", "audio",
    "video", "video_note", "animation", "document", "contact", "location", "venue", "poll", "dice",
)  # fmt: skip
BUTTON_ACTIONS = (
    "callback_data", "url", "switch_inline_query", "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat", "web_app", "login_url", "callback_game", "pay", "copy_text",
)  # fmt: skip
CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


class ApiError(Exception):
    """A Telegram error answer: HTTP status = error_code, as Telegram does it."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        """Remember the parts of Telegram's error JSON."""
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSON:
        """The error body Telegram would send."""
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    """Telegram's 400 with its usual prefix."""
    return ApiError(400, f"Bad Request: {reason}")


@dataclass
class Failure:
    """An injected failure for the next ``remaining`` matching calls."""

    method: str
    remaining: int
    error_code: int
    chat_id: int | None
    retry_after: int | None
    description: str | None
    drop: bool

    def matches(self, method: str, params: JSON) -> bool:
        """Same method, and the same chat when one was given."""
        if self.method != method or self.remaining <= 0:
            return False
        return self.chat_id is None or _as_int(params.get("chat_id")) == self.chat_id

    def error(self) -> ApiError:
        """The error Telegram would answer with."""
        if self.error_code == 429:
            wait = self.retry_after if self.retry_after is not None else 1
            text = self.description or f"Too Many Requests: retry after {wait}"
            return ApiError(429, text, {"retry_after": wait})
        return ApiError(self.error_code, self.description or default_description(self.error_code))


def default_description(code: int) -> str:
    """Telegram's usual wording for an error code."""
    wording = {
        400: "Bad Request: request failed",
        401: "Unauthorized",
        403: "Forbidden: bot was blocked by the user",
        404: "Not Found",
        409: CONFLICT_POLL,
    }
    if code in wording:
        return wording[code]
    with contextlib.suppress(ValueError):
        return HTTPStatus(code).phrase
    return "Internal Server Error"


def _as_int(value: Any) -> int | None:
    """An integer parameter, or None when it is not one (such as "@channel")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def decode_value(name: str, value: str) -> Any:
    """Undo PTB's encoding: strings are sent raw, everything else as JSON."""
    if name in STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def decode_params(content_type: str, body: bytes, query: str) -> JSON:
    """Parameters from the query string and a form, multipart or JSON body."""
    params: JSON = {k: decode_value(k, v) for k, v in parse_qsl(query, keep_blank_values=True)}
    kind = content_type.split(";")[0].strip().lower()
    if not body:
        return params
    if kind == "application/json":
        decoded = json.loads(body)
        if isinstance(decoded, dict):
            params.update(decoded)
    elif kind == "multipart/form-data":
        params.update(decode_multipart(content_type, body))
    else:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
        params.update({k: decode_value(k, v) for k, v in pairs})
    return params


def decode_multipart(content_type: str, body: bytes) -> JSON:
    """Form fields of a multipart body; uploaded files become a short description."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    params: JSON = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        raw = part.get_payload(decode=True)
        content = raw if isinstance(raw, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            params[name] = {"upload": filename, "size": len(content)}
        else:
            params[name] = decode_value(name, content.decode("utf-8"))
    return params


def utf16_length(text: str) -> int:
    """Entity offsets and lengths count UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def command_entities(text: str) -> list[JSON]:
    """The bot_command entity a Telegram client adds to "/command ..."."""
    match = COMMAND.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_length(match.group(0))}]


def without_reply(message: JSON) -> JSON:
    """A message as nested in reply_to_message: Telegram nests one level only."""
    nested = copy.deepcopy(message)
    nested.pop("reply_to_message", None)
    return nested


def file_object(kind: str, number: int, **extra: Any) -> JSON:
    """A file reference shaped like Telegram's."""
    return {"file_id": f"{kind}-{number}", "file_unique_id": f"u-{kind}-{number}", **extra}


def blank_png(width: int, height: int) -> bytes:
    """A white grayscale PNG of that size, made with the standard library."""
    row = b"\x00" + b"\xff" * width
    pixels = zlib.compress(row * height, 9)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


class _Server(ThreadingHTTPServer):
    """The HTTP server, knowing its stub and its open connections (to close them on stop)."""

    daemon_threads = True
    request_queue_size = 256

    def __init__(self, stub: BotApiStub) -> None:
        """Listen on a free port of 127.0.0.1."""
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stub = stub
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away (such as a killed bot) is not an error."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """Cut open keep-alive connections so their threads end."""
        with self.connections_lock:
            connections = list(self.connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    """One HTTP connection: decode a Bot API call, let the stub answer it."""

    protocol_version = "HTTP/1.1"
    timeout = 120
    # Headers and body go out in two writes; with Nagle's algorithm the body waits for the
    # client's delayed ACK (40 ms on Linux), which would add 40 ms to every answer.
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        """Track the connection so stop() can close it."""
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        """Forget the connection."""
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def parse_request(self) -> bool:
        """Note when the request arrived (its first line was just read), then parse it."""
        self.arrived = time.monotonic()
        return super().parse_request()

    def do_GET(self) -> None:
        """Telegram accepts GET as well as POST."""
        self._serve()

    def do_POST(self) -> None:
        """PTB posts every call."""
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""

    def _serve(self) -> None:
        url = urlsplit(self.path)
        if url.path.startswith("/file/"):
            self._serve_file(unquote(url.path))
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            params = decode_params(self.headers.get("Content-Type", ""), body, url.query)
        except (ValueError, UnicodeDecodeError):
            params = None
        status, payload = self.server.stub.answer(url.path, params, self.arrived)
        if payload is None:
            self.close_connection = True
            return
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _serve_file(self, path: str) -> None:
        """A file download: the bytes, or Telegram's JSON error."""
        status, data = self.server.stub.download(path)
        kind = "application/octet-stream" if status == 200 else "application/json"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class BotApiStub:
    """A thread-safe fake of the Telegram Bot API; see the module docstring."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        username: str = "haven_test_bot",
        group_limit: tuple[int, float] | None = GROUP_LIMIT,
    ) -> None:
        """A stand-in for the bot with this token; call start() before use.

        ``group_limit`` is (messages, seconds) a bot may post into one group; None: no limit.
        """
        self.token = token
        self.bot_id = int(token.split(":")[0])
        self._bot_user: JSON = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Haven",
            "username": username,
        }
        self._cond = threading.Condition(threading.RLock())
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._file_numbers = itertools.count(1)
        self._files: dict[str, JSON] = {}
        self._file_paths: dict[str, str] = {}
        self._updates: list[JSON] = []
        self._poll_generation = 0
        self._chats: dict[int, JSON] = {}
        self._users: dict[int, JSON] = {}
        self._members: dict[tuple[int, int], str] = {}
        self._blocked: set[int] = set()
        self._migrated: dict[int, int] = {}
        self._next_message_id: dict[int, int] = {}
        self._messages: dict[int, dict[int, JSON]] = {}
        self._order: list[tuple[int, int]] = []
        self._deleted: dict[int, list[int]] = {}
        self._open_queries: set[str] = set()
        self._calls: list[tuple[str, JSON]] = []
        self._failures: list[Failure] = []
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._webhook: JSON = {}
        self._rights: dict[tuple[int, int], dict[str, bool]] = {}
        self._topics: dict[int, dict[int, JSON]] = {}
        self._group_limit = group_limit
        self._buckets: dict[int, tuple[float, float]] = {}
        self._throttled: list[tuple[str, int, float]] = []
        self._group_posts: dict[int, list[float]] = {}
        self._methods: dict[str, tuple[str, Callable[[JSON], Any]]] = {
            name.lower(): (name, handler) for name, handler in self._api().items()
        }

    # Life cycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Serve on 127.0.0.1 in a background thread."""
        if self._server is not None:
            return
        self._stopping = False
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="bot-api-stub",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving at once: waiting long polls return, open connections are cut."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        server.shutdown()
        server.close_connections()
        server.server_close()
        thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> BotApiStub:
        """Start, for ``with BotApiStub() as stub``."""
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop."""
        self.stop()

    @property
    def port(self) -> int:
        """The port the server listens on."""
        if self._server is None:
            raise RuntimeError("BotApiStub is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """What PTB's ``base_url`` should be: it appends the token and the method."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def group_limit(self) -> tuple[int, float] | None:
        """(messages, seconds) a bot may post into one group; None when not limited."""
        return self._group_limit

    @property
    def bot_user(self) -> JSON:
        """The bot's own User object."""
        return dict(self._bot_user)

    # Setting up the world ---------------------------------------------------------------

    def add_chat(self, chat_id: int, chat_type: str = "supergroup", title: str = "") -> JSON:
        """Make a chat known, as if the bot had been added to it."""
        with self._cond:
            return copy.deepcopy(self._chat_for(chat_id, chat_id, chat_type, title=title))

    def make_forum(self, chat_id: int, forum: bool = True) -> None:
        """Turn a supergroup's topics on (``is_forum``) or off, as its owner would."""
        with self._cond:
            chat = self._chat_for(chat_id, chat_id, "supergroup")
            if forum:
                chat["is_forum"] = True
            else:
                chat.pop("is_forum", None)

    def set_member(self, chat_id: int, user_id: int, status: str, **rights: bool) -> None:
        """Set a user's status in a group: creator/owner, administrator, member, left, kicked.

        ``rights`` override an administrator's rights, such as ``can_manage_topics=False``.
        """
        with self._cond:
            self._chat_for(chat_id, user_id, None)
            self._members[(chat_id, user_id)] = STATUS_ALIASES.get(status, status)
            self._rights[(chat_id, user_id)] = dict(rights)

    def change_member(
        self, chat_id: int, user_id: int, status: str, by: int | None = None
    ) -> list[JSON]:
        """A user's status in a group changes (joins, leaves, is removed, restricted, promoted).

        As Telegram does: a ``my_chat_member`` update when the user is the bot; a
        ``chat_member`` update only when the bot is an administrator there (the bot asks for
        them in allowed_updates); and a "left the group" service message, which every member
        bot gets, when someone leaves or is removed. ``by`` is who made the change (an admin),
        the user themselves by default. Returns the updates queued.
        """
        status = STATUS_ALIASES.get(status, status)
        with self._cond:
            chat = self._chat_for(chat_id, user_id, None)
            old = self._status(chat, user_id)
            self._members[(chat_id, user_id)] = status
            user = self._known_user(user_id)
            actor = self._known_user(by if by is not None else user_id)
            change: JSON = {
                "chat": copy.deepcopy(chat),
                "from": actor,
                "date": int(time.time()),
                "old_chat_member": member_json(old, user),
                "new_chat_member": member_json(status, user),
            }
            queued: list[JSON] = []
            if user_id == self.bot_id:
                queued.append(self.push_update({"my_chat_member": change}))
            elif self._status(chat, self.bot_id) in ADMIN_STATUSES:
                queued.append(self.push_update({"chat_member": change}))
            was_in = old not in ("left", "kicked")
            if was_in and status in ("left", "kicked") and user_id != self.bot_id:
                message = self._new_message(chat, actor, {"left_chat_member": user})
                queued.append(self.push_update({"message": message}))
            return queued

    def block(self, user_id: int, blocked: bool = True) -> None:
        """The user blocks (or unblocks) the bot: sending to them gets 403."""
        with self._cond:
            if blocked:
                self._blocked.add(user_id)
            else:
                self._blocked.discard(user_id)

    def migrate(self, old_chat: int, new_chat: int, announce: bool = True) -> None:
        """A group becomes a supergroup with a new id, as Telegram does it.

        Members carry over; both chats get their service message (``migrate_to_chat_id`` in
        the old one, ``migrate_from_chat_id`` in the new) unless ``announce`` is False (as if
        the bot missed them); anything the bot sends to the old id from now on is refused with
        400 and ``parameters.migrate_to_chat_id``.
        """
        with self._cond:
            old = self._chat_for(old_chat, old_chat, "group")
            self._chats.pop(new_chat, None)
            new = self._chat_for(new_chat, new_chat, "supergroup", title=old.get("title", ""))
            for (chat, user), status in list(self._members.items()):
                if chat == old_chat:
                    self._members[(new_chat, user)] = status
            self._migrated[old_chat] = new_chat
            if not announce:
                return
            self.push_update({"message": self._service(old, {"migrate_to_chat_id": new_chat})})
            self.push_update({"message": self._service(new, {"migrate_from_chat_id": old_chat})})

    def user_deletes(self, chat_id: int, message_id: int) -> None:
        """Someone deletes a message in a chat (bots get no update for it)."""
        with self._cond:
            if self._live_message(chat_id, message_id) is None:
                raise ValueError(f"no message {message_id} in chat {chat_id} to delete")
            self._mark_deleted(chat_id, message_id)

    def fail(
        self,
        method: str,
        times: int = 1,
        error_code: int = 500,
        chat_id: int | None = None,
        retry_after: int | None = None,
        description: str | None = None,
        drop: bool = False,
    ) -> None:
        """Fail the next ``times`` calls of ``method`` (for ``chat_id`` if given); 0 clears.

        ``drop`` closes the connection without an answer, as a network fault would.
        """
        name = self._canonical(method)
        with self._cond:
            self._failures = [
                f for f in self._failures if not (f.method == name and f.chat_id == chat_id)
            ]
            if times > 0:
                self._failures.append(
                    Failure(name, times, error_code, chat_id, retry_after, description, drop)
                )

    # Updates, as users produce them -----------------------------------------------------

    def push_update(self, update: JSON) -> JSON:
        """Queue a raw update; it gets the next update_id."""
        with self._cond:
            queued = {"update_id": next(self._update_ids), **copy.deepcopy(update)}
            self._updates.append(queued)
            self._cond.notify_all()
            return copy.deepcopy(queued)

    def push_message(
        self,
        user_id: int,
        content: JSON,
        chat_id: int | None = None,
        chat_type: str | None = None,
        first_name: str | None = None,
        language_code: str | None = None,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
    ) -> JSON:
        """A user sends a message with ``content`` (text, sticker, location, ...).

        ``message_thread_id`` posts it in a forum topic: as from a client, it then carries
        ``is_topic_message`` and, unless it replies to something else, replies to the topic's
        first (service) message.
        """
        with self._cond:
            user = self._user(user_id, first_name, language_code)
            chat = self._chat_for(chat_id if chat_id is not None else user_id, user_id, chat_type)
            if message_thread_id is not None:
                topic = self._topics.get(chat["id"], {}).get(message_thread_id)
                if topic is None or topic.get("deleted"):
                    raise ValueError(f"no topic {message_thread_id} in chat {chat['id']}")
                content = {**content, "message_thread_id": message_thread_id}
                content["is_topic_message"] = True
                if reply_to_message_id is None:
                    reply_to_message_id = message_thread_id
            message = self._new_message(chat, user, content)
            if reply_to_message_id is not None:
                message["reply_to_message"] = self._replied(chat["id"], reply_to_message_id)
            return self.push_update({"message": message})

    def push_text(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        chat_type: str | None = None,
        first_name: str | None = None,
        language_code: str | None = None,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
    ) -> JSON:
        """A user sends a text; "/command ..." carries a bot_command entity, as from a client."""
        content: JSON = {"text": text}
        entities = command_entities(text)
        if entities:
            content["entities"] = entities
        return self.push_message(
            user_id,
            content,
            chat_id,
            chat_type,
            first_name,
            language_code,
            reply_to_message_id,
            message_thread_id,
        )

    def push_command(
        self,
        user_id: int,
        command: str,
        chat_id: int | None = None,
        chat_type: str | None = None,
        first_name: str | None = None,
        language_code: str | None = None,
    ) -> JSON:
        """A user sends a command such as "/clear" or "/reply 1 hello"."""
        if not COMMAND.match(command):
            raise ValueError(f"not a bot command: {command!r}")
        return self.push_text(user_id, command, chat_id, chat_type, first_name, language_code)

    def push_sticker(self, user_id: int, emoji: str = "🙂", chat_id: int | None = None) -> JSON:
        """A user sends a sticker."""
        sticker = file_object(
            "sticker", self._file_number(), type="regular", width=512, height=512,
            is_animated=False, is_video=False, emoji=emoji,
        )  # fmt: skip
        return self.push_message(user_id, {"sticker": sticker}, chat_id)

    def push_photo(
        self,
        user_id: int,
        caption: str | None = None,
        chat_id: int | None = None,
        image: bytes | None = None,
        width: int = 1280,
        height: int = 1280,
    ) -> JSON:
        """A user sends a photo (Telegram gives several sizes); ``image`` is its bytes.

        Without ``image`` the photo is a plain white picture, downloadable like any other.
        """
        number = self._file_number()
        data = image if image is not None else blank_png(width, height)
        small = file_object("photo", number, width=90, height=90, file_size=1500)
        large = file_object(
            "photo", number + 100000, width=width, height=height, file_size=len(data)
        )
        self.add_file(small["file_id"], blank_png(90, 90), "photos", ".png")
        self.add_file(large["file_id"], data, "photos", ".jpg")
        content: JSON = {"photo": [small, large]}
        if caption is not None:
            content["caption"] = caption
        return self.push_message(user_id, content, chat_id)

    def push_document(
        self,
        user_id: int,
        data: bytes,
        file_name: str = "file.jpg",
        mime_type: str | None = "image/jpeg",
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> JSON:
        """A user sends a file (such as a picture sent uncompressed, as a document)."""
        document = file_object("document", self._file_number(), file_name=file_name)
        document["file_size"] = len(data)
        if mime_type is not None:
            document["mime_type"] = mime_type
        ending = "." + file_name.rsplit(".", 1)[-1] if "." in file_name else ""
        self.add_file(document["file_id"], data, "documents", ending)
        content: JSON = {"document": document}
        if caption is not None:
            content["caption"] = caption
        return self.push_message(user_id, content, chat_id)

    def add_file(
        self, file_id: str, data: bytes, folder: str = "documents", ending: str = ""
    ) -> None:
        """Make a file downloadable by its id, as Telegram keeps what users send."""
        with self._cond:
            self._files[file_id] = {
                "data": bytes(data),
                "file_path": f"{folder}/file_{len(self._files)}{ending}",
            }

    def downloads(self) -> list[str]:
        """The file paths the bot downloaded, in order."""
        with self._cond:
            return [str(p["file_path"]) for m, p in self._calls if m == "download"]

    def push_location(
        self,
        user_id: int,
        latitude: float,
        longitude: float,
        live_period: int | None = None,
        chat_id: int | None = None,
    ) -> JSON:
        """A user shares a location, or starts sharing a live one."""
        location: JSON = {"latitude": latitude, "longitude": longitude}
        if live_period is not None:
            location["live_period"] = live_period
        return self.push_message(user_id, {"location": location}, chat_id)

    def push_edited_text(
        self, user_id: int, message_id: int, text: str, chat_id: int | None = None
    ) -> JSON:
        """A user edits one of their text messages."""
        content: JSON = {"text": text, "entities": command_entities(text)}
        return self._push_edit(user_id, message_id, content, chat_id)

    def push_callback(
        self,
        user_id: int,
        message_id: int,
        data: str,
        chat_id: int | None = None,
        first_name: str | None = None,
        language_code: str | None = None,
    ) -> JSON:
        """A user presses an inline button on message ``message_id`` of the chat."""
        with self._cond:
            user = self._user(user_id, first_name, language_code)
            chat = self._chat_for(chat_id if chat_id is not None else user_id, user_id, None)
            message = self._live_message(chat["id"], message_id)
            query_id = str(next(self._callback_ids) * 7919 + 1_000_000)
            self._open_queries.add(query_id)
            shown = self._as_sent(message) if message else None
            query: JSON = {
                "id": query_id,
                "from": user,
                "message": shown or {"chat": chat, "message_id": message_id, "date": 0},
                "chat_instance": str(abs(chat["id"]) * 31 + 17),
                "data": data,
            }
            return self.push_update({"callback_query": query})

    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by the bot through getUpdates' offset."""
        with self._cond:
            return copy.deepcopy(self._updates)

    # What happened ----------------------------------------------------------------------

    def sent(self, chat_id: int | None = None) -> list[JSON]:
        """Messages the bot sent (send*, copy), in order, deleted ones included.

        Each shows its current state (edits applied) and keeps reply_markup as sent, reply
        keyboards included; "text" is None for messages without text.
        """
        with self._cond:
            return [self._view(m) for m in self._all(chat_id) if m["from"]["is_bot"]]

    def messages(self, chat_id: int | None = None) -> list[JSON]:
        """Every message, the users' and the bot's, in order, deleted ones included."""
        with self._cond:
            return [self._view(m) for m in self._all(chat_id)]

    def visible(self, chat_id: int) -> list[JSON]:
        """The messages still in the chat (users' and bot's): what someone looking would see."""
        with self._cond:
            gone = set(self._deleted.get(chat_id, []))
            return [self._view(m) for m in self._all(chat_id) if m["message_id"] not in gone]

    def deleted(self, chat_id: int) -> list[int]:
        """Ids of the chat's deleted messages, in the order they were deleted."""
        with self._cond:
            return list(self._deleted.get(chat_id, []))

    def message(self, chat_id: int, message_id: int) -> JSON | None:
        """One message in its current state, deleted or not; None if it never existed."""
        with self._cond:
            stored = self._messages.get(chat_id, {}).get(message_id)
            return None if stored is None else self._view(stored)

    def calls(self, method: str | None = None) -> list[tuple[str, JSON]]:
        """Every request (or those of one method) with decoded parameters, failed ones too."""
        name = None if method is None else self._canonical(method)
        with self._cond:
            return [(m, copy.deepcopy(p)) for m, p in self._calls if name in (None, m)]

    def commands(self, scope: str = "default") -> dict[str, list[JSON]]:
        """Registered command lists of a scope, by language code ("" for the default list)."""
        with self._cond:
            return {
                language: copy.deepcopy(commands)
                for (kind, language), commands in self._commands.items()
                if kind == scope
            }

    def webhook(self) -> JSON:
        """The webhook set through setWebhook ({} when none)."""
        with self._cond:
            return dict(self._webhook)

    def topics(self, chat_id: int) -> dict[int, JSON]:
        """A forum's topics by message_thread_id: name, icon_color, closed (deleted ones too)."""
        with self._cond:
            return copy.deepcopy(self._topics.get(chat_id, {}))

    def in_topic(self, chat_id: int, thread_id: int | None) -> list[JSON]:
        """Messages of one topic (None: General, the messages outside every topic), in order."""
        with self._cond:
            return [
                self._view(m)
                for m in self._all(chat_id)
                if (m.get("message_thread_id") if m.get("is_topic_message") else None) == thread_id
            ]

    def throttled(self, chat_id: int | None = None) -> list[tuple[str, int, float]]:
        """Calls answered 429 by the per-group limit: (method, chat, when), oldest first."""
        with self._cond:
            return [x for x in self._throttled if chat_id in (None, x[1])]

    def group_posts(self, chat_id: int) -> list[float]:
        """When each message the per-group limit counted reached the group (monotonic)."""
        with self._cond:
            return list(self._group_posts.get(chat_id, []))

    async def wait_for(
        self, predicate: Callable[[BotApiStub], bool], timeout: float = 15.0
    ) -> None:
        """Wait until ``predicate(stub)`` holds; fail with what did happen if it never does."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate(self):
            if loop.time() > deadline:
                raise AssertionError(
                    f"not true after {timeout}s: {describe(predicate)}\n{self.summary()}"
                )
            await asyncio.sleep(0.01)

    def summary(self, last: int = 12) -> str:
        """The latest calls and messages, for failure messages."""
        with self._cond:
            calls = [f"  {m} {_short(p)}" for m, p in self._calls[-last:]]
            messages = [
                f"  chat {c} #{i}: {_short(self._messages[c][i].get('text'))}"
                for c, i in self._order[-last:]
            ]
        return "latest calls:\n" + "\n".join(calls) + "\nlatest messages:\n" + "\n".join(messages)

    # The HTTP side ----------------------------------------------------------------------

    def answer(
        self, path: str, params: JSON | None, arrived: float | None = None
    ) -> tuple[int, JSON | None]:
        """Answer one HTTP request: (status, body), or a None body to drop the connection.

        ``arrived`` is when the request reached the stand-in (``time.monotonic()``).
        """
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            if path.startswith("/bot"):
                return 401, ApiError(401, "Unauthorized").payload()
            return 404, ApiError(404, "Not Found").payload()
        if params is None:
            return 400, bad_request("can't parse request body").payload()
        method = self._canonical(path[len(prefix) :])
        try:
            return 200, {"ok": True, "result": self._call(method, params, arrived)}
        except ApiError as error:
            return error.code, error.payload()
        except _Drop:
            return 0, None
        except Exception as error:
            traceback.print_exc()
            return 500, ApiError(500, f"Internal Server Error: stub failed: {error!r}").payload()

    def download(self, path: str) -> tuple[int, bytes]:
        """Answer a file download: (status, body) as Telegram does at /file/bot<token>/<path>."""
        prefix = f"/file/bot{self.token}/"
        with self._cond:
            file_id = self._file_paths.get(path[len(prefix) :]) if path.startswith(prefix) else None
            stored = self._files.get(file_id) if file_id is not None else None
            if stored is None:
                error = ApiError(404, "Not Found").payload()
                return 404, json.dumps(error).encode("utf-8")
            self._calls.append(("download", {"file_path": stored["file_path"]}))
            return 200, bytes(stored["data"])

    def _call(self, method: str, params: JSON, arrived: float | None = None) -> Any:
        """Record and perform one call; ``arrived`` is for subclasses that time calls."""
        with self._cond:
            self._calls.append((method, copy.deepcopy(params)))
            failure = next((f for f in self._failures if f.matches(method, params)), None)
            if failure is not None:
                failure.remaining -= 1
                if failure.drop:
                    raise _Drop
                raise failure.error()
            entry = self._methods.get(method.lower())
            if entry is None:
                raise ApiError(404, "Not Found")
            group = self._limited_group(entry[0], params)
            if group is not None:
                self._check_group_limit(entry[0], group)
            result = entry[1](params)
            if group is not None:
                self._count_group_post(group)
            return result

    def _canonical(self, method: str) -> str:
        entry = self._methods.get(method.lower())
        return entry[0] if entry else method

    def _api(self) -> dict[str, Callable[[JSON], Any]]:
        return {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendLocation": self._send_location,
            "sendPhoto": self._send_media("photo"),
            "sendDocument": self._send_media("document"),
            "sendVoice": self._send_media("voice"),
            "sendSticker": self._send_media("sticker"),
            "copyMessage": self._copy_message,
            "editMessageText": self._edit_message_text,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getChatMember": self._get_chat_member,
            "getChat": self._get_chat,
            "getFile": self._get_file,
            "createForumTopic": self._create_forum_topic,
            "editForumTopic": self._edit_forum_topic,
            "closeForumTopic": self._close_forum_topic,
            "reopenForumTopic": self._reopen_forum_topic,
            "deleteForumTopic": self._delete_forum_topic,
            "setMyDescription": self._true,
            "setMyShortDescription": self._true,
            "setMyName": self._true,
            "setChatMenuButton": self._true,
        }

    # Bot API methods --------------------------------------------------------------------

    def _true(self, params: JSON) -> bool:
        return True

    def _get_me(self, params: JSON) -> JSON:
        return {
            **self._bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": True,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _get_updates(self, params: JSON) -> list[JSON]:
        if self._webhook:
            raise ApiError(409, CONFLICT_WEBHOOK)
        offset = _as_int(params.get("offset")) or 0
        limit = min(max(_as_int(params.get("limit")) or MAX_UPDATES, 1), MAX_UPDATES)
        timeout = max(0.0, float(params.get("timeout") or 0))
        self._confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._cond.notify_all()
        deadline = time.monotonic() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, CONFLICT_POLL)
            remaining = deadline - time.monotonic()
            if self._updates or self._stopping or remaining <= 0:
                return copy.deepcopy(self._updates[:limit])
            self._cond.wait(min(remaining, WAIT_SLICE))

    def _confirm(self, offset: int) -> None:
        """Forget updates before ``offset``; a negative one keeps only the last -offset."""
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    def _set_webhook(self, params: JSON) -> bool:
        url = params.get("url") or ""
        if not url:
            return self._delete_webhook(params)
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = {"url": url, "secret_token": params.get("secret_token")}
        return True

    def _delete_webhook(self, params: JSON) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = {}
        return True

    def _get_webhook_info(self, params: JSON) -> JSON:
        return {
            "url": self._webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _send_message(self, params: JSON) -> JSON:
        chat = self._target_chat(params)
        text = self._text(params.get("text"), MAX_TEXT, "message text is empty")
        content: JSON = {"text": text}
        if isinstance(params.get("entities"), list) and params["entities"]:
            content["entities"] = params["entities"]
        return self._bot_message(chat, content, params)

    def _send_location(self, params: JSON) -> JSON:
        chat = self._target_chat(params)
        location: JSON = {}
        for key in ("latitude", "longitude"):
            value = params.get(key)
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise bad_request(f"{key} is invalid")
            location[key] = float(value)
        if params.get("live_period") is not None:
            location["live_period"] = params["live_period"]
        return self._bot_message(chat, {"location": location}, params)

    def _send_media(self, kind: str) -> Callable[[JSON], JSON]:
        def send(params: JSON) -> JSON:
            chat = self._target_chat(params)
            if not params.get(kind):
                raise bad_request(f"there is no {kind} in the request")
            number = self._file_number()
            media: Any = file_object(kind, number)
            if kind == "photo":
                media = [file_object(kind, number, width=1280, height=1280)]
            content: JSON = {kind: media}
            caption = params.get("caption")
            if caption:
                content["caption"] = self._text(caption, MAX_CAPTION, "caption is empty")
            return self._bot_message(chat, content, params)

        return send

    def _copy_message(self, params: JSON) -> JSON:
        chat = self._target_chat(params)
        source = self._source(params, "message to copy not found")
        content = {k: copy.deepcopy(v) for k, v in source.items() if k in CONTENT_FIELDS}
        if "caption" in params:
            content["caption"] = params["caption"]
        copied = self._bot_message(chat, content, params)
        return {"message_id": copied["message_id"]}

    def _edit_message_text(self, params: JSON) -> JSON | bool:
        message = self._editable(params)
        text = self._text(params.get("text"), MAX_TEXT, "message text is empty")
        markup = self._markup(params.get("reply_markup"), inline_only=True)
        if text == message.get("text") and markup == message.get("reply_markup"):
            raise bad_request(
                "message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message"
            )
        message["text"] = text
        self._set_markup(message, markup)
        message["edit_date"] = int(time.time())
        return self._as_sent(message)

    def _delete_message(self, params: JSON) -> bool:
        chat = self._known_chat(params)
        message_id = _as_int(params.get("message_id"))
        message = self._live_message(chat["id"], message_id) if message_id else None
        if message is None:
            raise bad_request("message to delete not found")
        if not self._may_delete(chat, message):
            raise bad_request("message can't be deleted")
        self._mark_deleted(chat["id"], message["message_id"])
        return True

    def _delete_messages(self, params: JSON) -> bool:
        chat = self._known_chat(params)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not ids:
            raise bad_request("message identifiers are not specified")
        if len(ids) > MAX_DELETE_BATCH:
            raise bad_request("too many message identifiers specified")
        for message_id in ids:
            message = self._live_message(chat["id"], _as_int(message_id) or 0)
            if message is not None and self._may_delete(chat, message):
                self._mark_deleted(chat["id"], message["message_id"])
        return True

    def _answer_callback_query(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._open_queries:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text")
        if isinstance(text, str) and len(text) > MAX_ANSWER_TEXT:
            raise bad_request("MESSAGE_TOO_LONG")
        self._open_queries.discard(query_id)
        return True

    def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("commands must be a list of at most 100 commands")
        for command in commands:
            if not isinstance(command, dict) or not COMMAND_NAME.match(
                str(command.get("command", ""))
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description") or "")) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[self._command_key(params)] = copy.deepcopy(commands)
        return True

    def _get_chat_member(self, params: JSON) -> JSON:
        chat = self._known_chat(params)
        user_id = _as_int(params.get("user_id"))
        if user_id is None:
            raise bad_request("invalid user_id specified")
        status = self._status(chat, user_id)
        member = member_json(status, self._known_user(user_id))
        if status == "administrator":
            member.update(self._rights.get((chat["id"], user_id), {}))
        return member

    def _get_chat(self, params: JSON) -> JSON:
        chat = self._known_chat(params)
        info = {
            **copy.deepcopy(chat),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys(
                ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription"),
                False,
            ),
        }
        info["accepted_gift_types"]["gifts_from_channels"] = False
        return info

    def _get_file(self, params: JSON) -> JSON:
        file_id = params.get("file_id")
        stored = self._files.get(str(file_id)) if file_id else None
        if stored is None:
            raise bad_request("invalid file_id")
        size = len(stored["data"])
        if size > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        self._file_paths[stored["file_path"]] = str(file_id)
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": size,
            "file_path": stored["file_path"],
        }

    # Forum topics -----------------------------------------------------------------------

    def _forum(self, params: JSON) -> JSON:
        """A chat the bot posts in that has topics on."""
        chat = self._target_chat(params)
        if chat["type"] != "supergroup" or not chat.get("is_forum"):
            raise bad_request("the chat is not a forum")
        return chat

    def _may_manage_topics(self, chat: JSON) -> bool:
        status = self._status(chat, self.bot_id)
        if status == "creator":
            return True
        rights = self._rights.get((chat["id"], self.bot_id), {})
        return status == "administrator" and rights.get("can_manage_topics", True)

    def _topic(self, chat: JSON, params: JSON) -> JSON:
        """The topic named by message_thread_id, which the bot may manage."""
        thread_id = _as_int(params.get("message_thread_id"))
        topic = self._topics.get(chat["id"], {}).get(thread_id or 0)
        if topic is None or topic.get("deleted"):
            raise bad_request("message thread not found")
        if not self._may_manage_topics(chat) and topic["creator"] != self.bot_id:
            raise bad_request("not enough rights to manage topics")
        return topic

    def _topic_name(self, value: Any) -> str:
        name = "" if value is None else str(value)
        if not name.strip():
            raise bad_request("TOPIC_TITLE_EMPTY")
        if len(name) > MAX_TOPIC_NAME:
            raise bad_request("TOPIC_TITLE_TOO_LONG")
        return name

    def _topic_event(self, chat: JSON, thread_id: int, event: JSON) -> None:
        """The service message Telegram posts in a topic when it is made, edited or closed."""
        content = {"message_thread_id": thread_id, "is_topic_message": True, **event}
        self._new_message(chat, self._bot_user, content)

    def _create_forum_topic(self, params: JSON) -> JSON:
        chat = self._forum(params)
        if not self._may_manage_topics(chat):
            raise bad_request("not enough rights to create a topic")
        name = self._topic_name(params.get("name"))
        color = _as_int(params.get("icon_color"))
        if color is None and params.get("icon_color") in (None, ""):
            color = min(TOPIC_COLORS)
        if color not in TOPIC_COLORS:
            raise bad_request("TOPIC_ICON_COLOR_INVALID")
        created = {"forum_topic_created": {"name": name, "icon_color": color}}
        service = self._new_message(chat, self._bot_user, {"is_topic_message": True, **created})
        thread_id = service["message_id"]
        service["message_thread_id"] = thread_id
        self._topics.setdefault(chat["id"], {})[thread_id] = {
            "name": name,
            "icon_color": color,
            "closed": False,
            "deleted": False,
            "creator": self.bot_id,
        }
        return {"message_thread_id": thread_id, "name": name, "icon_color": color}

    def _edit_forum_topic(self, params: JSON) -> bool:
        chat = self._forum(params)
        topic = self._topic(chat, params)
        if params.get("name") in (None, "") and params.get("icon_custom_emoji_id") is None:
            raise bad_request("TOPIC_NOT_MODIFIED")
        name = topic["name"]
        if params.get("name") not in (None, ""):
            name = self._topic_name(params.get("name"))
        if name == topic["name"]:
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic["name"] = name
        self._topic_event(
            chat,
            _as_int(params.get("message_thread_id")) or 0,
            {"forum_topic_edited": {"name": name}},
        )
        return True

    def _close_forum_topic(self, params: JSON) -> bool:
        return self._open_or_close(params, closed=True)

    def _reopen_forum_topic(self, params: JSON) -> bool:
        return self._open_or_close(params, closed=False)

    def _open_or_close(self, params: JSON, closed: bool) -> bool:
        chat = self._forum(params)
        topic = self._topic(chat, params)
        if topic["closed"] == closed:
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic["closed"] = closed
        event = "forum_topic_closed" if closed else "forum_topic_reopened"
        self._topic_event(chat, _as_int(params.get("message_thread_id")) or 0, {event: {}})
        return True

    def _delete_forum_topic(self, params: JSON) -> bool:
        chat = self._forum(params)
        topic = self._topic(chat, params)
        rights = self._rights.get((chat["id"], self.bot_id), {})
        status = self._status(chat, self.bot_id)
        if status != "creator" and not (
            status == "administrator" and rights.get("can_delete_messages", True)
        ):
            raise bad_request("not enough rights to delete a topic")
        thread_id = _as_int(params.get("message_thread_id")) or 0
        topic["deleted"] = True
        gone = self._deleted.get(chat["id"], [])
        for message in self._all(chat["id"]):
            inside = (
                message.get("is_topic_message") and message.get("message_thread_id") == thread_id
            )
            if inside and message["message_id"] not in gone:
                self._mark_deleted(chat["id"], message["message_id"])
        return True

    def _thread_of(self, chat: JSON, params: JSON, replied: JSON | None) -> int | None:
        """The topic a message goes to: message_thread_id, or that of the message it answers."""
        thread_id = _as_int(params.get("message_thread_id"))
        if thread_id is None and replied is not None and replied.get("is_topic_message"):
            thread_id = replied.get("message_thread_id")
        if thread_id is None or not chat.get("is_forum"):
            return None
        topic = self._topics.get(chat["id"], {}).get(thread_id)
        if topic is None or topic.get("deleted"):
            raise bad_request("message thread not found")
        if topic["closed"]:
            raise bad_request("TOPIC_CLOSED")
        return thread_id

    # The per-group limit ----------------------------------------------------------------

    def _limited_group(self, method: str, params: JSON) -> int | None:
        """The group whose limit a call counts against, if it is one that posts there."""
        if self._group_limit is None or method not in GROUP_POSTS:
            return None
        chat_id = _as_int(params.get("chat_id"))
        chat = self._chats.get(chat_id) if chat_id is not None else None
        return chat_id if chat is not None and chat["type"] in GROUP_TYPES else None

    def _level(self, chat_id: int, moment: float) -> float:
        """How full the group's bucket is now: it drains evenly over the limit's period."""
        assert self._group_limit is not None
        count, period = self._group_limit
        level, since = self._buckets.get(chat_id, (0.0, moment))
        return max(0.0, level - (moment - since) * count / period)

    def _check_group_limit(self, method: str, chat_id: int) -> None:
        assert self._group_limit is not None
        count, period = self._group_limit
        moment = time.monotonic()
        level = self._level(chat_id, moment)
        if level + 1 > count + 1e-9:
            wait = max(1, math.ceil((level + 1 - count) * period / count))
            self._throttled.append((method, chat_id, moment))
            raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})

    def _count_group_post(self, chat_id: int) -> None:
        moment = time.monotonic()
        self._buckets[chat_id] = (self._level(chat_id, moment) + 1, moment)
        self._group_posts.setdefault(chat_id, []).append(moment)

    # Helpers ----------------------------------------------------------------------------

    def _file_number(self) -> int:
        with self._cond:
            return next(self._file_numbers)

    def _user(self, user_id: int, first_name: str | None, language_code: str | None) -> JSON:
        user = self._users.setdefault(
            user_id, {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        )
        if first_name is not None:
            user["first_name"] = first_name
        sent = dict(user)
        if language_code is not None:
            sent["language_code"] = language_code
        return sent

    def _known_user(self, user_id: int) -> JSON:
        if user_id == self.bot_id:
            return dict(self._bot_user)
        default = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        return dict(self._users.get(user_id, default))

    def _chat_for(self, chat_id: int, user_id: int, chat_type: str | None, title: str = "") -> JSON:
        """The chat, registered on first sight; a private chat is named after its user."""
        if chat_id not in self._chats:
            kind = chat_type or ("private" if chat_id > 0 else "supergroup")
            if kind == "private":
                name = self._users.get(user_id, {}).get("first_name", f"User{chat_id}")
                self._chats[chat_id] = {"id": chat_id, "first_name": name, "type": kind}
            else:
                self._chats[chat_id] = {
                    "id": chat_id, "title": title or f"Group {chat_id}", "type": kind,
                }  # fmt: skip
        return self._chats[chat_id]

    def _new_message(self, chat: JSON, sender: JSON, content: JSON) -> JSON:
        chat_id = chat["id"]
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        message: JSON = {
            "message_id": message_id,
            "from": copy.deepcopy(sender),
            "chat": copy.deepcopy(chat),
            "date": int(time.time()),
            **copy.deepcopy(content),
        }
        self._messages.setdefault(chat_id, {})[message_id] = message
        self._order.append((chat_id, message_id))
        self._cond.notify_all()
        return message

    def _push_edit(self, user_id: int, message_id: int, content: JSON, chat_id: int | None) -> JSON:
        with self._cond:
            chat = self._chat_for(chat_id if chat_id is not None else user_id, user_id, None)
            message = self._messages.get(chat["id"], {}).get(message_id)
            if message is None:
                raise ValueError(f"no message {message_id} in chat {chat['id']} to edit")
            for key in ("text", "entities", "caption", "location"):
                message.pop(key, None)
            message.update(copy.deepcopy({k: v for k, v in content.items() if v}))
            message["edit_date"] = int(time.time())
            return self.push_update({"edited_message": message})

    def _replied(self, chat_id: int, message_id: int) -> JSON:
        message = self._live_message(chat_id, message_id)
        if message is None:
            raise ValueError(f"no message {message_id} in chat {chat_id} to reply to")
        return without_reply(self._as_sent(message))

    def _live_message(self, chat_id: int, message_id: int) -> JSON | None:
        """A message that exists and is not deleted."""
        if message_id in self._deleted.get(chat_id, []):
            return None
        return self._messages.get(chat_id, {}).get(message_id)

    def _all(self, chat_id: int | None) -> list[JSON]:
        if chat_id is not None:
            return list(self._messages.get(chat_id, {}).values())
        return [self._messages[c][i] for c, i in self._order]

    def _view(self, message: JSON) -> JSON:
        view = copy.deepcopy(message)
        view.setdefault("text", None)
        return view

    def _known_chat(self, params: JSON) -> JSON:
        if params.get("chat_id") in (None, ""):
            raise bad_request("chat_id is empty")
        chat_id = _as_int(params.get("chat_id"))
        if chat_id in self._migrated:
            raise ApiError(
                400, f"Bad Request: {MIGRATED}", {"migrate_to_chat_id": self._migrated[chat_id]}
            )
        if chat_id is None or chat_id not in self._chats:
            raise bad_request("chat not found")
        return self._chats[chat_id]

    def _service(self, chat: JSON, content: JSON) -> JSON:
        """A service message in a group, sent by no one in particular (the group's creator)."""
        message = self._new_message(chat, self._known_user(1), content)
        return copy.deepcopy(message)

    def _target_chat(self, params: JSON) -> JSON:
        """A chat the bot may post in."""
        chat = self._known_chat(params)
        if chat["type"] == "private" and chat["id"] in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat["type"] in GROUP_TYPES and self._status(chat, self.bot_id) in ("left", "kicked"):
            raise ApiError(403, "Forbidden: bot is not a member of the supergroup chat")
        return chat

    def _status(self, chat: JSON, user_id: int) -> str:
        if chat["type"] == "private":
            return "member" if user_id in (chat["id"], self.bot_id) else "left"
        default = "member" if user_id == self.bot_id else "left"
        return self._members.get((chat["id"], user_id), default)

    def _text(self, value: Any, limit: int, empty: str) -> str:
        """Telegram refuses blank text and text over the limit (counted in characters)."""
        if value is None or not str(value).strip():
            raise bad_request(empty)
        text = str(value)
        if len(text) > limit:
            raise bad_request("message is too long" if limit == MAX_TEXT else "caption is too long")
        return text

    def _markup(self, value: Any, inline_only: bool = False) -> JSON | None:
        """Parse and check reply_markup as Telegram would."""
        if value in (None, ""):
            return None
        markup = json.loads(value) if isinstance(value, str) else value
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            self._check_inline(markup["inline_keyboard"])
        elif inline_only:
            raise bad_request("inline keyboard expected")
        elif "keyboard" in markup:
            self._check_keyboard(markup["keyboard"])
        elif not (markup.get("remove_keyboard") or markup.get("force_reply")):
            raise bad_request("can't parse reply keyboard markup JSON object")
        return markup

    def _check_inline(self, rows: Any) -> None:
        for button in self._buttons(rows):
            if not button.get("text"):
                raise bad_request("text buttons are unallowed in the inline keyboard")
            if not any(key in button for key in BUTTON_ACTIONS):
                raise bad_request('can\'t find field "callback_data"')
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")

    def _check_keyboard(self, rows: Any) -> None:
        for button in self._buttons(rows):
            if not button.get("text"):
                raise bad_request("keyboard button text is empty")

    def _buttons(self, rows: Any) -> list[JSON]:
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request("keyboard must be an Array of Arrays of buttons")
        return [b if isinstance(b, dict) else {"text": b} for row in rows for b in row]

    def _set_markup(self, message: JSON, markup: JSON | None) -> None:
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup

    def _reply_target(self, chat: JSON, params: JSON) -> JSON | None:
        """The message a send replies to (reply_parameters or reply_to_message_id)."""
        reply = params.get("reply_parameters")
        if isinstance(reply, str):
            reply = json.loads(reply)
        if not isinstance(reply, dict):
            reply = {"message_id": params.get("reply_to_message_id")}
            reply["allow_sending_without_reply"] = params.get("allow_sending_without_reply")
        message_id = _as_int(reply.get("message_id"))
        if message_id is None:
            return None
        target = self._live_message(chat["id"], message_id)
        if target is None and not reply.get("allow_sending_without_reply"):
            raise bad_request("message to be replied not found")
        return None if target is None else without_reply(self._as_sent(target))

    def _bot_message(self, chat: JSON, content: JSON, params: JSON) -> JSON:
        """Store a message from the bot; answer with it as Telegram shows it."""
        markup = self._markup(params.get("reply_markup"))
        replied = self._reply_target(chat, params)
        thread_id = self._thread_of(chat, params, replied)
        if thread_id is not None:
            content = {**content, "message_thread_id": thread_id, "is_topic_message": True}
        message = self._new_message(chat, self._bot_user, content)
        if replied is not None:
            message["reply_to_message"] = replied
        if markup is not None:
            message["reply_markup"] = markup
        return self._as_sent(message)

    def _as_sent(self, message: JSON) -> JSON:
        """Telegram returns only inline keyboards with a message, never reply keyboards."""
        shown = copy.deepcopy(message)
        if "inline_keyboard" not in shown.get("reply_markup", {}):
            shown.pop("reply_markup", None)
        return shown

    def _source(self, params: JSON, missing: str) -> JSON:
        source_chat = self._known_chat({"chat_id": params.get("from_chat_id")})
        message_id = _as_int(params.get("message_id"))
        message = self._live_message(source_chat["id"], message_id) if message_id else None
        if message is None:
            raise bad_request(missing)
        return message

    def _editable(self, params: JSON) -> JSON:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._known_chat(params)
        message_id = _as_int(params.get("message_id"))
        message = self._live_message(chat["id"], message_id) if message_id else None
        if message is None:
            raise bad_request("message to edit not found")
        if not message["from"]["is_bot"] or message["from"]["id"] != self.bot_id:
            raise bad_request("message can't be edited")
        return message

    def _may_delete(self, chat: JSON, message: JSON) -> bool:
        """Private chats: anything; groups: own messages, or anything as an admin."""
        if chat["type"] == "private" or message["from"]["id"] == self.bot_id:
            return True
        return self._status(chat, self.bot_id) in ADMIN_STATUSES

    def _mark_deleted(self, chat_id: int, message_id: int) -> None:
        self._deleted.setdefault(chat_id, []).append(message_id)
        self._cond.notify_all()

    def _command_key(self, params: JSON) -> tuple[str, str]:
        scope = params.get("scope")
        if isinstance(scope, str):
            scope = json.loads(scope)
        kind = "default"
        if isinstance(scope, dict):
            kind = str(scope.get("type", "default"))
            for key in ("chat_id", "user_id"):
                if key in scope:
                    kind += f":{scope[key]}"
        return kind, str(params.get("language_code") or "")


class _Drop(Exception):
    """Close the connection without an answer."""


def member_json(status: str, user: JSON) -> JSON:
    """A ChatMember object with the fields Telegram sends for that status."""
    member: JSON = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(dict.fromkeys(ADMIN_RIGHTS, True))
        member.update(can_be_edited=False, is_anonymous=False)
    elif status == "restricted":
        member.update(dict.fromkeys(RESTRICTED_RIGHTS, False))
        member.update(is_member=True, until_date=0)
    elif status == "kicked":
        member["until_date"] = 0
    return member


ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
    "can_edit_stories", "can_delete_stories", "can_pin_messages", "can_manage_topics",
)  # fmt: skip
RESTRICTED_RIGHTS = (
    "can_change_info", "can_invite_users", "can_pin_messages", "can_send_messages",
    "can_send_polls", "can_send_other_messages", "can_add_web_page_previews",
    "can_manage_topics", "can_send_audios", "can_send_documents", "can_send_photos",
    "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_edit_tag",
    "can_react_to_messages",
)  # fmt: skip


def describe(predicate: Callable[..., Any]) -> str:
    """The predicate's source line, to say what was being waited for."""
    try:
        return inspect.getsource(predicate).strip()
    except (OSError, TypeError):
        return repr(predicate)


def _short(value: Any, width: int = 100) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"
