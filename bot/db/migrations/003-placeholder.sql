-- TEMPORARY (scheduler branch only): stands in for trivia's 003 until it is on main. Never land this.
SELECT 1;
