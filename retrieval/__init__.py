"""newsqa retrieval library: ingest articles, chunk, embed, index and search them.

No UI and no language model lives here. The answering core in `app/` builds on these pieces:

- `ingest`    reads article files into cleaned `Document`s with metadata and offsets
- `chunking`  splits documents into sentence-aware `Chunk`s with stable ids
- `sentences` sentence spans inside a text
- `embedding` the sentence-transformers `Embedder`
- `store`     the `VectorStore` interface and its FAISS implementation
- `index`     the on-disk, incremental, atomically swapped index (`IndexManager`)
- `search`    hybrid BM25 + dense retrieval fused by reciprocal rank, with a sentence re-scorer
"""
