# R's side of test/shell/alpha_vs_psych.sh: writes into the directory given as
# the only argument the responses to load into alliance and what R gives for them.
#   haq2.txt      complete cases of 19 psychTools::bfi items as haq2 responses
#   arm5.txt      complete cases of the 5 bfi agreeableness items as arm5 responses
#   attitude.csv  R's datasets::attitude (30 rows, 7 items 0-100), no header
#   psych.csv     name,n,value: psych::alpha(x, keys)$total$raw_alpha of each
#                 case (and one SD), to 17 significant digits
# Usage:  Rscript test/r/psych_alpha.R OUTDIR
# Needs Debian's r-base-core, r-cran-psych and r-cran-psychtools (the bfi data
# moved from psych to psychTools in psych 2.x).  The data stay in those
# packages: nothing written here is kept in the repository.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript test/r/psych_alpha.R OUTDIR")
dir <- args[1]
suppressMessages({
  library(psych)
  library(psychTools)
})
data(bfi, package = "psychTools")
data(attitude, package = "datasets")

as_responses <- function(code, x) {
  apply(x, 1, function(v) paste0(code, "(", paste(v, collapse = ","), ")"))
}
raw_alpha <- function(x, keys) {
  # complete cases only: on data with NAs psych uses pairwise covariances.
  # (Quiet: for 0-100 items psych notes it counts no category frequencies.)
  suppressMessages(suppressWarnings(
    psych::alpha(x, keys = keys, check.keys = FALSE, warnings = FALSE)$total$raw_alpha))
}

# haq2: 19 items of 1-6; the instrument reverses items 4, 8, 11, 16 and 19,
# so R is told the same keys.  Those positions hold five of bfi's reverse-
# keyed items (A1, C4, E1, E2, O2); the other 14 are its 13 positively keyed
# A, C, E and O items plus C5 (reverse-keyed in bfi, left unreversed here).
cols <- c("A2", "A3", "A4", "A1", "A5", "C1", "C2", "C4", "C3", "E3",
          "E1", "E4", "E5", "O1", "O3", "E2", "O4", "C5", "O2")
haq2 <- bfi[complete.cases(bfi[cols]), cols]
haq2_keys <- rep(1, 19); haq2_keys[c(4, 8, 11, 16, 19)] <- -1

# arm5: 5 items of 1-7, item 3 reversed (8 - x).  Agreeableness with A1 (the
# reverse-keyed item of the scale) in position 3: A2, A3, A1, A4, A5.
# Subscale "partnership" is items 2 and 3 (A3 and A1 reversed).
acols <- c("A2", "A3", "A1", "A4", "A5")
arm5 <- bfi[complete.cases(bfi[acols]), acols]
arm5_total <- rowSums(arm5[, -3]) + (8 - arm5[, 3])

# attitude as a custom form of 7 items 0-100; the reversed form reverses
# items 2 and 6 (complaints, critical) and has subscales positive (1,3,4,5,7)
# and negative (2,6).  psychTools' overview vignette prints the raw_alpha of
# alpha(attitude) as 0.84 and of alpha(attitude, keys = c("complaints",
# "critical")) as 0.18.
pos <- c(1, 3, 4, 5, 7)

writeLines(as_responses("haq2", haq2), file.path(dir, "haq2.txt"))
writeLines(as_responses("arm5", arm5), file.path(dir, "arm5.txt"))
write.table(attitude, file.path(dir, "attitude.csv"), sep = ",", quote = FALSE,
            row.names = FALSE, col.names = FALSE)
ref <- data.frame(
  name = c("haq2", "arm5", "arm5_partnership", "arm5_total_sd",
           "attitude", "attitude_reversed", "attitude_positive", "attitude_negative"),
  n = c(nrow(haq2), nrow(arm5), nrow(arm5), nrow(arm5), rep(nrow(attitude), 4)),
  value = c(raw_alpha(haq2, haq2_keys),
            raw_alpha(arm5, c(1, 1, -1, 1, 1)),
            raw_alpha(arm5[, 2:3], c(1, -1)),
            sd(arm5_total),
            raw_alpha(attitude, NULL),
            raw_alpha(attitude, c("complaints", "critical")),
            raw_alpha(attitude[, pos], NULL),
            raw_alpha(attitude[, c(2, 6)], c(-1, -1))))
ref$value <- formatC(ref$value, digits = 17, format = "g")
write.table(ref, file.path(dir, "psych.csv"), sep = ",", quote = FALSE,
            row.names = FALSE, col.names = FALSE)
cat(sprintf("psych %s, psychTools %s, %s\n", packageVersion("psych"),
            packageVersion("psychTools"), R.version.string))
