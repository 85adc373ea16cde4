package org.losslab.core;

import java.util.Collection;

/** "Did you mean" suggestions for names typed by users. */
public final class Names {
  private Names() {}

  /** The closest candidate by edit distance, or null when nothing is reasonably close. */
  public static String closest(String typed, Collection<String> candidates) {
    String best = null;
    int bestDist = Integer.MAX_VALUE;
    String t = typed.toLowerCase();
    for (String c : candidates) {
      int d = distance(t, c.toLowerCase());
      if (d < bestDist) {
        bestDist = d;
        best = c;
      }
    }
    // Farther than half the word is a different word, not a typo.
    return best != null && bestDist <= Math.max(2, typed.length() / 2) ? best : null;
  }

  /** " (did you mean 'x'?)" or empty. */
  public static String suggestion(String typed, Collection<String> candidates) {
    String c = closest(typed, candidates);
    return c == null ? "" : " (did you mean '" + c + "'?)";
  }

  /** Levenshtein distance. */
  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
