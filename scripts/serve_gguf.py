"""Serve a GGUF file with llama.cpp's OpenAI-compatible server (llama-cpp-python[server]),
adding one chat format, ``plain``, for base models that ship without a chat template.

    python scripts/serve_gguf.py --model gemma-3-270m.gguf --chat_format plain --port 8765

``plain`` writes the conversation as ``System: …`` / ``User: …`` / ``Assistant: …`` lines and
stops the reply where the model starts the next ``User:`` turn; without the stop a base model
writes both sides of a dialogue. Any other argument is the server's own (``--help``). The
second real model of the recorded labeled set (issue 10) was recorded through this server.
"""

from __future__ import annotations

from typing import Any

from llama_cpp import llama_chat_format, llama_types
from llama_cpp.server.__main__ import main

STOPS = ["\nUser:", "\nUSER:", "User:", "\nSystem:", "\n\n\n"]


@llama_chat_format.register_chat_format("plain")
def format_plain(
    messages: list[llama_types.ChatCompletionRequestMessage], **kwargs: Any
) -> llama_chat_format.ChatFormatterResponse:
    """The conversation as labeled lines, ending with ``Assistant:`` for the reply."""
    names = {"system": "System", "user": "User", "assistant": "Assistant"}
    lines = [
        f"{names[str(m['role'])]}: {str(m.get('content') or '').strip()}"
        for m in messages
        if str(m["role"]) in names
    ]
    return llama_chat_format.ChatFormatterResponse(
        prompt="\n".join(lines) + "\nAssistant:", stop=STOPS
    )


if __name__ == "__main__":
    main()
