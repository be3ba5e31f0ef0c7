router=None
