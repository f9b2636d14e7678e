"""Reading the bank: question files and articles, with every place a problem can point to."""
