#!/usr/bin/env python3
"""Reshapes a canonical JSONL workload into a platform's export layout, for the profile benchmarks.

    bench/reshape.py cloudapi  IN.jsonl OUT.jsonl   # WhatsApp Cloud API webhook log
    bench/reshape.py intercom  IN.jsonl OUT.jsonl   # Intercom conversations, one a line

The conversations stay the same ones (same texts, times and roles), so a replay of the reshaped file
does the same routing work as the canonical one and the time difference is the profile's reading.

cloudapi: every customer message is a webhook body with its contact and message (the customer's
`wa_id` derived from the conversation id); every bot or agent message is a line of the business's
own send log (`messaging_product`, `to`, `author` for agents) followed by a webhook body with its
`delivered` status, so the log holds the non-messages a real one does.

intercom: every conversation is one `type: conversation` document: its first customer message is
the `source`, every other message a `comment` part (`user`, `bot` or `admin` author) with an HTML
body, an `assign` event an `assignment` part and a `resolved` one a `close` part.
"""

import datetime
import json
import sys
import zlib


def unix(ts):
    if ts is None:
        return 0
    return int(datetime.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp())


def wa_id(conversation):
    return str(5500000000000 + zlib.crc32(conversation.encode()))


def body(value):
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1029384756", "changes": [{"field": "messages", "value": dict(
            messaging_product="whatsapp",
            metadata={"display_phone_number": "15550001111", "phone_number_id": "106540352242922"},
            **value)}]}],
    }


def cloudapi(m, out):
    wa = wa_id(m["conversation_id"])
    ts = str(unix(m.get("timestamp")))
    mid = m.get("message_id") or f"wamid.{m['conversation_id']}.{ts}"
    if m.get("role", "customer") == "customer":
        out.write(json.dumps(body({
            "contacts": [{"profile": {"name": m.get("customer_name") or "Customer"}, "wa_id": wa}],
            "messages": [{"from": wa, "id": mid, "timestamp": ts, "type": "text",
                          "text": {"body": m.get("text", "")}}],
        })) + "\n")
        return
    sent = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": wa,
            "type": "text", "text": {"body": m.get("text", "")}, "timestamp": ts, "id": mid}
    if m.get("role") == "agent":
        sent["author"] = m.get("author") or "Agent"
    out.write(json.dumps(sent) + "\n")
    out.write(json.dumps(body({"statuses": [{"id": mid, "status": "delivered", "timestamp": ts,
                                             "recipient_id": wa}]})) + "\n")


AUTHOR = {"customer": "user", "bot": "bot", "agent": "admin", "system": "bot"}


def part(m, i):
    kind = {"assign": "assignment", "resolved": "close"}.get(m.get("event"), "comment")
    role = m.get("role", "customer")
    p = {"type": "conversation_part", "id": str(i), "part_type": kind,
         "body": f"<p>{m.get('text', '')}</p>", "created_at": unix(m.get("timestamp")),
         "author": {"type": AUTHOR.get(role, "user"), "id": f"{role}-1",
                    "name": m.get("author") or role.title()}}
    if kind == "assignment":
        p["assigned_to"] = {"type": "team", "id": m.get("lane") or "5531"}
    return p


def intercom_conversation(msgs, out):
    first = msgs[0]
    source = {"type": "conversation", "id": first.get("message_id") or "0",
              "delivered_as": "customer_initiated", "body": f"<p>{first.get('text', '')}</p>",
              "author": {"type": AUTHOR.get(first.get("role", "customer"), "user"),
                         "id": "u-" + first["conversation_id"],
                         "name": first.get("customer_name") or "Customer"}}
    doc = {"type": "conversation", "id": first["conversation_id"],
           "created_at": unix(first.get("timestamp")), "source": source,
           "conversation_parts": {"type": "conversation_part.list",
                                  "conversation_parts": [part(m, i) for i, m in enumerate(msgs[1:])],
                                  "total_count": len(msgs) - 1}}
    out.write(json.dumps(doc) + "\n")


def main():
    layout, src, dst = sys.argv[1:4]
    with open(src) as inp, open(dst, "w") as out:
        if layout == "cloudapi":
            for line in inp:
                cloudapi(json.loads(line), out)
            return
        current, msgs = None, []
        for line in inp:
            m = json.loads(line)
            if m["conversation_id"] != current and msgs:
                intercom_conversation(msgs, out)
                msgs = []
            current = m["conversation_id"]
            msgs.append(m)
        if msgs:
            intercom_conversation(msgs, out)


if __name__ == "__main__":
    main()
