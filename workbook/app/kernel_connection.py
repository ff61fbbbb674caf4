"""What a visitor's page may hear from its kernel: the dashboard server's kernel websocket.

A visitor can send any comm message to the page's kernel (Voilà lets comm messages through),
and a malformed one makes the kernel answer with what a developer needs: an ``error`` message
with the full IPython traceback (install paths, code), ``stream`` output on stderr (the kernel's
and the libraries' logs and warnings, tracebacks among them) or an error reply. None of that is
for a visitor. :class:`DashboardKernelConnection` (``Voila.kernel_websocket_connection_class``
in voila.json) sits between the kernel and the websocket and withholds it:

- ``error`` messages and ``stream`` messages on stderr are not sent; an error's name, value and
  traceback go to the server's log (the kernel already echoes its stderr there);
- a reply whose status is ``error`` is sent with its status only, the detail logged;
- the ``kernel_info_reply`` is sent without the banner, versions, help links and file extension.

Everything else (widget state, display data, status) passes unchanged, whichever websocket
protocol the page speaks (the filter reads the kernel's messages before they are encoded for
the websocket). Imported by the server only, never by a kernel.
"""

from __future__ import annotations

import re

from jupyter_client.session import DELIM
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
KERNEL_INFO_KEPT = ("status", "protocol_version", "implementation", "debugger")
LANGUAGE_INFO_KEPT = ("name", "mimetype", "codemirror_mode", "pygments_lexer")
ERROR_REPLY = {"status": "error", "ename": "", "evalue": "", "traceback": []}


def plain_traceback(lines) -> str:
    """An IPython traceback (a list of lines with terminal colours) as plain text."""
    if not isinstance(lines, list):
        return ""
    return "\n".join(ANSI.sub("", str(line)) for line in lines)


def kernel_info_for_visitors(content: dict) -> dict:
    """``kernel_info_reply`` content without what it says of the software (banner, versions,
    help links): the protocol version and the language's name stay, which the page needs."""
    kept = {k: content[k] for k in KERNEL_INFO_KEPT if k in content}
    if isinstance(content.get("supported_features"), list):
        kept["supported_features"] = content["supported_features"]
    info = content.get("language_info")
    if isinstance(info, dict):
        kept["language_info"] = {k: info[k] for k in LANGUAGE_INFO_KEPT if k in info}
    kept.update(banner="", implementation_version="", help_links=[])
    return kept


def reply_for_visitors(msg_type: str, content: dict) -> dict | None:
    """The content a visitor may see of a reply, or None when it can go as it is."""
    if content.get("status") == "error":
        return dict(ERROR_REPLY)
    if msg_type == "kernel_info_reply":
        return kernel_info_for_visitors(content)
    return None


class DashboardKernelConnection(ZMQChannelsWebsocketConnection):
    """The kernel websocket of the dashboard server: tracebacks, stderr and the kernel's
    versions stay on the server (see the module's docstring)."""

    def handle_outgoing_message(self, stream, outgoing_msg: list) -> None:
        idents, parts = self.session.feed_identities(outgoing_msg)
        try:
            msg_type = str(self.session.unpack(parts[1]).get("msg_type", ""))
        except Exception:  # not a message this filter can read: none of it is sent
            self.log.warning("Kernel %s: an unreadable message was not sent", self.kernel_id)
            return
        channel = getattr(stream, "channel", stream)
        if channel == "iopub" and msg_type in ("error", "stream"):
            if self._withheld(msg_type, self.session.unpack(parts[4])):
                return
        elif msg_type.endswith("_reply"):
            content = self.session.unpack(parts[4])
            cleaned = reply_for_visitors(msg_type, content)
            if cleaned is not None:
                self._log_error(msg_type, content)
                parts = [*parts]
                parts[4] = self.session.pack(cleaned)
                parts[0] = self.session.sign(parts[1:5])
                outgoing_msg = [*idents, DELIM, *parts]
        super().handle_outgoing_message(stream, outgoing_msg)

    def _withheld(self, msg_type: str, content: dict) -> bool:
        """Whether an iopub message stays on the server (an error is logged)."""
        if msg_type == "error":
            self._log_error(msg_type, content)
            return True
        return content.get("name") == "stderr"  # the kernel echoes its stderr to the log

    def _log_error(self, msg_type: str, content: dict) -> None:
        if msg_type == "error" or content.get("status") == "error":
            self.log.warning(
                "Kernel %s: %s withheld from the visitor's page: %s: %s\n%s",
                self.kernel_id,
                msg_type,
                content.get("ename", ""),
                content.get("evalue", ""),
                plain_traceback(content.get("traceback")),
            )
