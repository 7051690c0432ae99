"""Pure domain: model, target notation, regions, progress, validation. No I/O, no Qt."""
