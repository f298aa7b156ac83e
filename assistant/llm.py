"""LangChain chat models from settings: Ollama, any OpenAI-compatible server, or a local GGUF.

``llm_provider``:

* ``ollama`` – ``langchain_ollama.ChatOllama`` (``llm_model``, ``llm_base_url`` default localhost:11434);
* ``openai`` – ``langchain_openai.ChatOpenAI`` against ``llm_base_url`` (vLLM, llama.cpp's server,
  ``python -m llama_cpp.server``, or OpenAI itself with ``llm_api_key``);
* ``llamacpp`` – ``ChatLlamaCpp`` loading the GGUF file ``llm_model_path`` in-process;
* ``none`` – no LLM: asking for one raises :class:`ConfigurationError` (the default drafter needs none).
"""

from __future__ import annotations

from langchain_core.language_models.chat_models import BaseChatModel

from assistant.errors import ConfigurationError
from assistant.settings import Settings


def make_chat_model(settings: Settings) -> BaseChatModel:
    """The configured chat model; raises :class:`ConfigurationError` naming what is missing."""
    provider = settings.llm_provider
    if provider == "none":
        raise ConfigurationError(
            "No LLM is configured: set ASSISTANT_LLM_PROVIDER to ollama, openai or llamacpp "
            "(with ASSISTANT_LLM_MODEL / ASSISTANT_LLM_BASE_URL / ASSISTANT_LLM_MODEL_PATH), or use the precedent drafter."
        )
    if provider == "ollama":
        from langchain_ollama import ChatOllama

        if not settings.llm_model:
            raise ConfigurationError("ASSISTANT_LLM_MODEL is required for llm_provider=ollama (e.g. llama3.1:8b).")
        kwargs = {"base_url": settings.llm_base_url} if settings.llm_base_url else {}
        return ChatOllama(
            model=settings.llm_model,
            temperature=settings.llm_temperature,
            num_predict=settings.llm_max_tokens,
            client_kwargs={"timeout": settings.llm_timeout_s},
            **kwargs,
        )
    if provider == "openai":
        from langchain_openai import ChatOpenAI

        if not settings.llm_base_url and not settings.llm_api_key:
            raise ConfigurationError("llm_provider=openai needs ASSISTANT_LLM_BASE_URL (an OpenAI-compatible server) or ASSISTANT_LLM_API_KEY.")
        return ChatOpenAI(
            model=settings.llm_model or "local",
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key or "not-needed",
            temperature=settings.llm_temperature,
            max_tokens=settings.llm_max_tokens,
            timeout=settings.llm_timeout_s,
            max_retries=1,
            # langchain-openai sends ``max_completion_tokens``; llama.cpp's and older vLLM servers only
            # honour ``max_tokens``, so self-hosted servers get both.
            extra_body={"max_tokens": settings.llm_max_tokens} if settings.llm_base_url else None,
        )
    if provider == "llamacpp":
        path = settings.llm_model_path
        if path is None or not path.is_file():
            raise ConfigurationError(f"{path or 'ASSISTANT_LLM_MODEL_PATH'}: GGUF model file not found (llm_provider=llamacpp).")
        try:
            from langchain_community.chat_models import ChatLlamaCpp
        except ImportError as exc:  # pragma: no cover - depends on the optional extra
            raise ConfigurationError(f"llm_provider=llamacpp needs llama-cpp-python: {exc}") from exc
        return ChatLlamaCpp(
            model_path=str(path),
            temperature=settings.llm_temperature,
            max_tokens=settings.llm_max_tokens,
            n_ctx=4096,
            verbose=False,
        )
    raise ConfigurationError(f"Unknown llm_provider {provider!r}.")
