"""Understanding: typed or recognised text -> a typed ``Answer``, and the phrases each turn listens for."""
