#!/usr/bin/env python3
"""Reshapes a canonical JSONL workload into a WhatsApp Cloud API webhook log, for the profile
benchmarks (Intercom documents come from the generator, `--format intercom`).

    bench/reshape.py cloudapi IN.jsonl OUT.jsonl

The conversations stay the same ones (same texts, times and roles), so a replay of the reshaped file
does the same routing work as the canonical one and the time difference is the profile's reading.

cloudapi: every customer message is a webhook body with its contact and message (the customer's
`wa_id` derived from the conversation id); every bot or agent message is a line of the business's
own send log (`messaging_product`, `to`, `author` for agents) followed by a webhook body with its
`delivered` status, so the log holds the non-messages a real one does.

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


def main():
    layout, src, dst = sys.argv[1:4]
    if layout != "cloudapi":
        sys.exit(f"reshape.py: unknown layout {layout!r}; the one it writes is cloudapi")
    with open(src) as inp, open(dst, "w") as out:
        for line in inp:
            cloudapi(json.loads(line), out)


if __name__ == "__main__":
    main()
