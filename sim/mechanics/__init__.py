"""Pure mechanics: the rules of the game, with no engine, state or I/O."""
