-- somebody trying to drop the form that is in use: always refused (2BP01)
DO $$
BEGIN
    PERFORM alliance.drop_instrument('cform');
    INSERT INTO drop_attempts VALUES ('dropped');
EXCEPTION WHEN dependent_objects_still_exist THEN
    INSERT INTO drop_attempts VALUES ('refused');
END $$;
