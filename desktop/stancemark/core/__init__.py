"""Plain-Python core shared by every layer: models, span maths, codebook, errors, progress.

Nothing here imports another Stancemark package or any third-party GUI code.
"""
