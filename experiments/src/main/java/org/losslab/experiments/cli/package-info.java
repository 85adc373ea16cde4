/**
 * The {@code losslab} command line (picocli): {@code run}, {@code suite}, {@code list}, {@code describe},
 * {@code check-loss} and {@code bench}. Bad input ends with a message naming what, where and what is
 * allowed, and exit code 2; a stack trace only with {@code --debug}.
 */
package org.losslab.experiments.cli;
