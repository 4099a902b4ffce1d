"""Stories and near-duplicates: which articles report the same news, which copy another.

`features` turns an article's English text into what is compared (MinHash signature of word
shingles, weighted key terms); `index` keeps those on disk beside the output
(`<output>/_stories/`); `assign` decides an article's duplicate and story against the index;
`link` runs it over a run's article part files and commits the index with the run.
"""
