print("gramc")
