print("bench-rag: not written yet")
