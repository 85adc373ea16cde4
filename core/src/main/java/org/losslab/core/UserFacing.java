package org.losslab.core;

/**
 * Marks an exception whose message is written for the user (what is wrong, where, what to do): a front end
 * prints the message without a stack trace and treats it as bad input (the CLI exits with 2). Deciding this
 * by type keeps front ends from guessing from stack frames or message text.
 */
public interface UserFacing {}
