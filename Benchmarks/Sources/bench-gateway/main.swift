print("bench-gateway: not written yet")
