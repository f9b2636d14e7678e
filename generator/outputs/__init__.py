"""What a build writes: one module or subpackage per output."""
