#!/usr/bin/env python3
"""Writes the multilingual matrix of the keyword benchmark and its phrases, one a line, for ripgrep.

    python3 bench/multilingual.py tests/fixtures/multilingual

A support line in English, Spanish, Portuguese and Hindi/Hinglish (Devanagari and romanised): one
trigger per topic and language with the phrases customers write for it, an escape hatch in the
four languages (the default opt-out phrases of those languages, which are also the trap's), fifty
regex triggers (legal words, fraud, order and tracking numbers, personal data, amounts, shouting,
profanity), a loop breaker and a confidence floor. Exactly 1,000 distinct keyword phrases, as
keywords fold them. The output is deterministic; the files under tests/fixtures/multilingual are
this script's output, and the tests read them.
"""
import os
import sys

TARGET = 1000

LANES = [
    # id, title, priority
    ("compliance", "Legal & Compliance", 1),
    ("security", "Account security", 2),
    ("billing", "Billing", 3),
    ("refunds", "Refunds", 4),
    ("retention", "Retention desk", 5),
    ("logistics", "Deliveries", 6),
    ("technical", "Technical L2", 7),
    ("recovery", "Customer recovery", 8),
]


def combos(left, right, sep=" "):
    return [f"{a}{sep}{b}" for a in left for b in right]


# topic -> lane, then per language the phrases, most specific material first.
EN = {
    "cancel": combos(
        ["cancel my", "close my", "stop my", "pause my", "end my", "terminate my", "deactivate my", "get out of my"],
        ["subscription", "account", "membership", "plan", "contract", "renewal", "booking", "direct debit", "auto renewal"],
    ),
    "problem": combos(
        ["problem with my", "issue with my", "wrong", "damaged", "missing", "broken", "late", "lost"],
        ["order", "package", "parcel", "delivery", "item", "invoice", "payment", "shipment", "booking"],
    ),
    "billing": [
        "charged twice", "double charged", "overcharged", "charged for something", "unauthorized charge",
        "billing error", "billing issue", "wrong amount", "hidden fee", "extra charge", "card declined",
        "payment failed", "payment declined", "charged again", "still being charged", "charged after cancelling",
    ],
    "refund": [
        "refund", "money back", "reimbursement", "full refund", "partial refund", "refund status",
        "where is my refund", "refund not received", "dispute the charge", "store credit", "return label",
    ],
    "account": [
        "password reset", "reset my password", "can't log in", "cannot log in", "locked out", "account locked",
        "account hacked", "two factor", "verification code", "otp not received", "someone else logged in",
        "suspicious login", "change my email", "update my phone number", "delete my data",
    ],
    "legal": [
        "data protection", "privacy complaint", "my lawyer", "legal action", "small claims",
        "consumer rights", "ombudsman", "trading standards", "report you",
    ],
    "complaint": [
        "very disappointed", "worst service", "terrible service", "unacceptable", "fed up", "waste of time",
        "never again", "make a complaint", "formal complaint", "file a complaint", "ridiculous", "disgusted",
    ],
    "technical": [
        "app crashes", "app keeps crashing", "won't load", "not loading", "error message", "blank screen",
        "can't upload", "bug in the app", "checkout not working", "payment page error", "site is down",
        "website down",
    ],
    "delivery": [
        "where is my parcel", "tracking not updating", "not delivered", "never arrived",
        "delivered to the wrong address", "courier lost", "driver never came", "left at the door",
        "signed for by someone", "missed delivery", "reschedule delivery", "change delivery address",
    ],
}

ES = {
    "cancel": combos(
        ["cancelar mi", "dar de baja mi", "anular mi", "cerrar mi", "eliminar mi", "pausar mi", "quiero cancelar mi", "cómo cancelo mi"],
        ["suscripción", "cuenta", "membresía", "plan", "contrato", "pedido", "reserva", "domiciliación", "renovación"],
    ),
    "problem": combos(
        ["problema con mi", "no llegó mi", "no recibí mi", "falta mi", "retraso en mi", "error en mi", "dónde está mi", "reclamo por mi"],
        ["pedido", "paquete", "envío", "producto", "factura", "pago", "reembolso", "tarjeta", "entrega"],
    ),
    "billing": [
        "cobro doble", "me cobraron dos veces", "cobro indebido", "cargo no autorizado", "me cobraron de más",
        "cobro incorrecto", "error de facturación", "tarjeta rechazada", "pago rechazado", "pago fallido",
        "comisión oculta", "me siguen cobrando", "cargo extra", "cobro duplicado",
    ],
    "refund": [
        "reembolso", "devolución del dinero", "devuélvanme mi dinero", "quiero mi dinero", "reembolso total",
        "reembolso parcial", "estado de mi reembolso", "no me han devuelto", "contracargo", "nota de crédito",
        "etiqueta de devolución",
    ],
    "account": [
        "restablecer contraseña", "olvidé mi contraseña", "no puedo entrar", "no puedo iniciar sesión",
        "cuenta bloqueada", "me hackearon", "cuenta hackeada", "código de verificación", "no me llega el código",
        "inicio de sesión sospechoso", "cambiar mi correo", "borrar mis datos",
    ],
    "legal": [
        "protección de datos", "mi abogado", "acciones legales", "poner una demanda", "denuncia",
        "defensa del consumidor", "libro de reclamaciones", "hoja de reclamaciones",
    ],
    "complaint": [
        "muy decepcionado", "pésimo servicio", "servicio terrible", "es inaceptable", "estoy harto",
        "pérdida de tiempo", "nunca más", "poner una queja", "queja formal", "una vergüenza",
    ],
    "technical": [
        "la app se cierra", "la aplicación no funciona", "no carga", "mensaje de error", "pantalla en blanco",
        "no puedo subir", "falla en la app", "el pago no funciona", "la página no abre", "la web está caída",
    ],
    "delivery": [
        "dónde está mi paquete", "el seguimiento no avanza", "no ha llegado", "nunca llegó",
        "entregado en otra dirección", "el repartidor no vino", "entrega fallida", "reprogramar la entrega",
        "cambiar la dirección de envío",
    ],
}

PT = {
    "cancel": combos(
        ["cancelar", "encerrar", "suspender", "excluir", "quero cancelar", "como cancelo", "desativar", "pausar"],
        ["a assinatura", "a conta", "o plano", "o contrato", "o pedido", "a reserva", "o débito automático", "a renovação", "a mensalidade"],
    ),
    "problem": combos(
        ["problema com o", "não recebi o", "cadê o", "atraso no", "erro no", "reclamação do", "extravio do", "defeito no"],
        ["pedido", "pacote", "produto", "boleto", "pagamento", "reembolso", "cartão", "frete"],
    ),
    "billing": [
        "cobrança indevida", "cobrança em dobro", "cobrado duas vezes", "cobraram duas vezes", "valor errado",
        "cobrança duplicada", "taxa escondida", "cartão recusado", "pagamento recusado", "pagamento não aprovado",
        "continuam cobrando", "estorno",
    ],
    "refund": [
        "devolução do dinheiro", "quero meu dinheiro de volta", "dinheiro de volta", "reembolso integral",
        "estorno parcial", "status do reembolso", "não recebi o estorno", "etiqueta de devolução",
    ],
    "account": [
        "redefinir senha", "esqueci minha senha", "não consigo entrar", "não consigo fazer login",
        "conta bloqueada", "fui hackeado", "conta invadida", "código de verificação", "não chega o código",
        "login suspeito", "alterar meu email", "apagar meus dados",
    ],
    "legal": [
        "proteção de dados", "meu advogado", "processo judicial", "reclame aqui", "juizado especial",
        "direitos do consumidor", "vou processar",
    ],
    "complaint": [
        "muito decepcionado", "péssimo atendimento", "serviço horrível", "inaceitável", "estou cansado",
        "perda de tempo", "nunca mais compro", "fazer uma reclamação", "reclamação formal", "um absurdo",
        "que vergonha",
    ],
    "technical": [
        "o app fecha sozinho", "o aplicativo não funciona", "não carrega", "mensagem de erro", "tela branca",
        "não consigo enviar", "bug no app", "o pagamento não vai", "o site não abre", "site fora do ar",
    ],
    "delivery": [
        "cadê meu pedido", "rastreio não atualiza", "não foi entregue", "nunca chegou",
        "entregue no endereço errado", "o entregador não veio", "entrega falhou", "reagendar a entrega",
        "mudar o endereço de entrega",
    ],
}

HI = {
    "cancel": combos(
        ["subscription", "account", "plan", "order", "membership", "booking", "auto debit", "emi"],
        ["cancel karna hai", "band karna hai", "band karo", "cancel karo", "hatana hai", "delete karna hai", "rok do", "khatam karna hai"],
    )
    + combos(
        ["ऑर्डर", "सब्सक्रिप्शन", "अकाउंट", "प्लान", "बुकिंग", "मेंबरशिप"],
        ["कैंसिल करना है", "बंद करना है", "कैंसिल करो", "बंद करो", "हटाना है", "डिलीट करना है"],
    ),
    "problem": combos(
        ["order", "parcel", "product", "payment", "refund", "delivery", "package", "bill"],
        ["nahi aaya", "nahi mila", "galat aaya", "toot gaya", "kho gaya", "late hai", "atka hua hai", "mein problem hai"],
    )
    + combos(
        ["ऑर्डर", "पार्सल", "पेमेंट", "रिफंड", "डिलीवरी", "पैकेट"],
        ["नहीं आया", "नहीं मिला", "गलत आया", "टूटा हुआ है", "अटका हुआ है", "में दिक्कत है"],
    ),
    "billing": [
        "paise kat gaye", "do baar paise kate", "double payment", "galat charge", "extra paise kate",
        "पैसे कट गए", "दो बार पैसे कटे", "ज्यादा पैसे कटे", "पेमेंट फेल", "कार्ड रिजेक्ट",
    ],
    "refund": [
        "refund chahiye", "paise wapas karo", "paisa wapas", "refund kab milega", "refund abhi tak nahi",
        "रिफंड चाहिए", "पैसे वापस करो", "पैसा वापस", "रिफंड कब मिलेगा",
    ],
    "account": [
        "password bhool gaya", "login nahi ho raha", "account block ho gaya", "account hack ho gaya",
        "otp nahi aaya", "पासवर्ड भूल गया", "लॉगिन नहीं हो रहा", "अकाउंट ब्लॉक", "ओटीपी नहीं आया",
    ],
    "legal": [
        "consumer court", "police complaint", "legal notice", "उपभोक्ता अदालत", "कानूनी नोटिस",
        "पुलिस में शिकायत",
    ],
    "complaint": [
        "bahut bura service", "bekaar service", "time waste kar rahe", "shikayat darj", "शिकायत दर्ज",
        "बहुत बुरी सर्विस", "बेकार सर्विस",
    ],
    "technical": [
        "app nahi chal raha", "app band ho raha hai", "error aa raha hai", "ऐप नहीं चल रहा", "एरर आ रहा है",
    ],
    "delivery": [
        "parcel kahan hai", "order kahan hai", "delivery kab hogi", "पार्सल कहाँ है", "ऑर्डर कहाँ है",
        "डिलीवरी कब होगी",
    ],
}

TOPIC_LANE = {
    "cancel": "retention",
    "problem": "logistics",
    "billing": "billing",
    "refund": "refunds",
    "account": "security",
    "legal": "compliance",
    "complaint": "recovery",
    "technical": "technical",
    "delivery": "logistics",
}

# The default opt-out phrases (src/matrix/defaults.rs) of the four languages: the escape hatch.
HATCH = [
    "human", "agent", "real person", "speak to someone", "representative", "talk to someone",
    "speak to a person", "speak with someone", "talk to somebody", "a person", "human being", "live agent",
    "live person", "operator", "rep", "customer service", "customer support", "customer care", "real human",
    "actual person", "someone real", "anyone real", "a bot", "the bot", "supervisor", "manager", "staff",
    "escalate", "someone from", "anyone from", "support staff", "get me someone", "someone who can help",
    "a robot",
    "humano", "humana", "una persona", "un agente", "agente", "asesor", "representante", "atención al cliente",
    "servicio al cliente", "operador", "ejecutivo", "encargado", "gerente", "con alguien", "persona real",
    "con quien puedo hablar", "con quién puedo hablar", "personal de", "alguien real", "me atienda",
    "atender alguien", "me llame", "el robot", "un robot",
    "robô", "atendente", "atendimento humano", "uma pessoa", "um humano", "consultor", "com alguém",
    "para alguém", "alguém aí", "alguém da", "alguém de verdade", "me ligue", "pessoa real", "me liga",
    "com robo", "o suporte", "o sac", "central de atendimento", "com atendimento", "com pessoa",
    "insaan", "इंसान", "एजेंट", "kisi se baat", "baat karao", "baat karni hai", "baat karwao", "baat karwa",
    "connect karo", "executive", "कस्टमर केयर", "व्यक्ति", "प्रतिनिधि", "मैनेजर", "से बात कराओ",
    "बात करनी है", "से बात", "call karwao", "bot se baat", "real banda", "koi banda",
]

# Fifty patterns: 35 start with literals (the keyword scan gates them), the other 15
# (numbers, personal data, shouting, profanity, scripts) run at every customer message.
REGEXES = [
    ("gdpr", "compliance", r"(?i)\b(gdpr|ccpa|lgpd|dsar)\b"),
    ("lawyer-en", "compliance", r"(?i)\b(lawsuit|lawyer|attorney|solicitor)s?\b"),
    ("lawyer-es", "compliance", r"(?i)\b(abogad[oa]|demandar[ée]?)\b"),
    ("lawyer-pt", "compliance", r"(?i)\b(advogad[oa]|processar)\b"),
    ("chargeback", "billing", r"(?i)\b(charge\s*back|contracargo|chargeback)s?\b"),
    ("fraud-en", "security", r"(?i)\b(fraud|scam|scammed|phishing)\b"),
    ("fraud-es", "security", r"(?i)\b(fraude|estafa|estafaron)\b"),
    ("fraud-pt", "security", r"(?i)\b(golpe|golpista|fraudaram)\b"),
    ("fraud-hi", "security", r"(?i)\b(dhokha|dhoka|fraud hua)\b|धोखा"),
    ("refund-late", "refunds", r"(?i)\brefund(ed|s)?\b.*\b(never|not|still)\b"),
    ("cancelled", "retention", r"(?i)\bcancel+(ed|ing|ation)?\b"),
    ("unsubscribe", "retention", r"(?i)\bunsubscribe\b"),
    ("urgent-en", "recovery", r"(?i)\b(urgent|urgently|asap|emergency)\b"),
    ("urgent-es-pt", "recovery", r"(?i)\b(urgente|emergencia|emergência)\b"),
    ("urgent-hi", "recovery", r"(?i)\b(jaldi|turant)\b|तुरंत"),
    ("order-number", "logistics", r"(?i)order\s*(no\.?|number|#)?\s*#?\d{5,}"),
    ("pedido-number", "logistics", r"(?i)pedido\s*(n[ºo°.]?|número|#)?\s*\d{5,}"),
    ("tracking", "logistics", r"(?i)\btracking\s*(number|no\.?|id)?\s*[:#]?\s*[a-z0-9]{8,}"),
    ("invoice", "billing", r"(?i)\binvoice\s*#?\s*[a-z]{0,3}-?\d{4,}"),
    ("bank", "billing", r"(?i)\b(iban|swift|bic|upi id)\b"),
    ("error-code", "technical", r"(?i)\b(error|err)\s*(code)?\s*[:#]?\s*\d{3,5}\b"),
    ("http-error", "technical", r"(?i)\b(404|500|502|503) error\b"),
    ("social", "recovery", r"(?i)\b(twitter|facebook|instagram|tiktok|reddit)\b"),
    ("review-sites", "recovery", r"(?i)\b(trustpilot|better business bureau|reclame ?aqui|procon|profeco)\b"),
    ("erase-data", "compliance", r"(?i)\b(delete|erase|remove) (all )?my (data|information|details)\b"),
    ("not-working-en", "technical", r"(?i)\bnot (working|loading|responding)\b"),
    ("not-working-es", "technical", r"(?i)\bno (funciona|carga|responde)\b"),
    ("not-working-pt", "technical", r"(?i)\bnão (funciona|carrega|responde)\b"),
    ("not-working-hi", "technical", r"(?i)\b(kaam nahi|chal nahi)\b"),
    ("amount", "billing", r"[€$£₹]\s?\d+"),
    ("link", "technical", r"(?i)https?://\S+"),
    ("exclaim", "recovery", r"!{3,}|\?{3,}"),
    ("wtf", "recovery", r"(?i)\b(wtf|omg|smh)\b"),
    ("phone", "security", r"\b\d{10,12}\b"),
    ("email", "security", r"[\w.+-]+@[\w-]+\.[\w.]+"),
    ("s10-tracking", "logistics", r"\b[A-Z]{2}\d{9}[A-Z]{2}\b"),
    ("ssn", "compliance", r"\b\d{3}-\d{2}-\d{4}\b"),
    ("card-like", "compliance", r"\b(?:\d[ -]?){13,19}\b"),
    ("voucher", "billing", r"(?i)\b[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{4}\b"),
    ("amount-suffix", "billing", r"(?i)\d+(?:[.,]\d{2})?\s?(?:€|eur|usd|brl|inr|rs\.?)(?:\W|$)"),
    ("date", "logistics", r"\b\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\b"),
    ("shouting", "recovery", r"\b[A-Z]{3,}\b.*\b[A-Z]{3,}\b.*\b[A-Z]{3,}\b"),
    ("otp", "security", r"\b\d{6}\b"),
    ("long-message", "recovery", r"(?:\w+\W+){40,}"),
    ("devanagari-refund", "refunds", r"\p{Devanagari}+.*\b(?:refund|cancel|order)\b"),
    ("profanity", "recovery", r"(?i)\b\w*(?:fuck|shit|crap)\w*\b"),
    ("uuid", "technical", r"\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}\b"),
    ("aadhaar", "compliance", r"\b\d{4}\s\d{4}\s\d{4}\b"),
    ("pincode", "logistics", r"\b[1-9]\d{2}\s?\d{3}\b"),
    ("repeated-char", "recovery", r"(?i)(?:a{5,}|e{5,}|o{5,}|h{5,})"),
]


def fold(p):
    return " ".join(p.casefold().split())


def yaml_str(s):
    return "'" + s.replace("'", "''") + "'"


def main(out_dir):
    assert len(REGEXES) == 50, len(REGEXES)
    seen = set()
    hatch = []
    for p in HATCH:
        if fold(p) not in seen:
            seen.add(fold(p))
            hatch.append(p)
    triggers = []  # (id, lane, phrases)
    langs = [("en", EN), ("es", ES), ("pt", PT), ("hi", HI)]
    for topic in EN:
        for code, table in langs:
            kept = []
            for p in table.get(topic, []):
                if fold(p) not in seen:
                    seen.add(fold(p))
                    kept.append(p)
            triggers.append([f"{topic}-{code}", TOPIC_LANE[topic], kept])
    total = len(seen)
    # Trim the combination lists (the largest triggers) from their ends, round robin, to exactly
    # TARGET phrases.
    while total > TARGET:
        largest = max(triggers, key=lambda t: len(t[2]))
        largest[2].pop()
        total -= 1
    assert total == TARGET, f"{total} phrases, fewer than {TARGET}: add material"
    os.makedirs(out_dir, exist_ok=True)
    lines = [
        "# A support line in English, Spanish, Portuguese and Hindi/Hinglish: 1,000 keyword phrases and",
        "# 50 regex triggers. Written by bench/multilingual.py; the keyword benchmark of bench/run.sh and",
        "# the tests replay and lint it.",
        "version: 1",
        "name: Multilingual support (benchmark)",
        "settings:",
        "  fallback_intents: [nlu_fallback]",
        "  trap:",
        "    optout_phrases: [" + ", ".join(yaml_str(p) for p in hatch) + "]",
        "lanes:",
    ]
    for lane, title, prio in LANES:
        lines += [
            f"  {lane}:",
            f"    title: {title}",
            f"    priority: {prio}",
            "    sla: { first_response: 30m }",
            "    requires: [intent]",
            "    handoff:",
            "      message: \"I'm bringing in {agent} from our team, who will reply within {eta}.\"",
            "      agent: Ana",
            "      eta: 10 minutes",
        ]
    lines += ["triggers:"]
    lines += [
        "  - id: escape-hatch",
        "    lane: recovery",
        "    when:",
        "      keywords: [" + ", ".join(yaml_str(p) for p in hatch) + "]",
    ]
    for tid, lane, phrases in triggers:
        if not phrases:
            continue
        lines += [
            f"  - id: {tid}",
            f"    lane: {lane}",
            "    when:",
            "      keywords: [" + ", ".join(yaml_str(p) for p in phrases) + "]",
        ]
    for tid, lane, pattern in REGEXES:
        lines += [f"  - id: {tid}", f"    lane: {lane}", f"    when: {{ regex: {yaml_str(pattern)} }}"]
    lines += [
        "  - id: loop-breaker",
        "    lane: recovery",
        "    when: { fallbacks: 3 }",
        "  - id: low-confidence",
        "    lane: recovery",
        "    when: { confidence_below: 0.6 }",
        "# Account security comes right after compliance: both handle what W112 calls legal and",
        "# security matters, and two lanes cannot both be first without a tie (W109).",
        "lint: { allow: [W112] }",
    ]
    with open(os.path.join(out_dir, "matrix.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    phrases = hatch + [p for _, _, ps in triggers for p in ps]
    with open(os.path.join(out_dir, "phrases.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(phrases) + "\n")
    print(f"{len(phrases)} phrases, {len(REGEXES)} regexes, {len(triggers) + 1 + len(REGEXES) + 2} triggers")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/multilingual")
