"""Reviewing what the outputs say: the corpus of every sentence about every affected State
(:mod:`~ccm_graph.review.corpus`) and the claims check over it
(:mod:`~ccm_graph.review.claims`)."""
