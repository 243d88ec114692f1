package org.calibkit.report.json;

import java.util.List;
import java.util.Map;

import org.calibkit.report.doctor.DoctorResult;
import org.calibkit.report.doctor.DoctorSection;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The audit JSON's {@code doctor} object: the doctor's section of the report, key by key as
 * documented in {@code docs/report.md} ("doctor"). Written only when the quick input check ran
 * or was skipped; absent with {@code --no-doctor}, for bundles and for saved predictions. A
 * skipped check is the one key {@code skipped} with the reason ({@link #skippedOnly}).
 */
record DoctorSectionJson(String skipped, String data, int sample, long seed, String searched, int conventions,
                         int stoppedEarly, double seconds, int givenRank, CandidateJson given, CandidateJson best,
                         String flagsToPass, String verdict, String tie, List<RankedJson> ranking,
                         Map<String, String> metadata, List<String> contradictions, List<String> notes) {

    /** One convention the doctor tried. */
    record CandidateJson(String convention, String flags, boolean given, int images, boolean stoppedEarly,
                         double accuracy, double nll, double meanConfidence, @JsonProperty("over_99") double over99,
                         double ece) {
        static CandidateJson of(DoctorResult.Candidate c) {
            return new CandidateJson(c.label(), c.flags(), c.given(), c.images(), c.stoppedEarly(), c.accuracy(), c.nll(),
                    c.meanConfidence(), c.over99(), c.ece());
        }

        DoctorResult.Candidate toCandidate() {
            return new DoctorResult.Candidate(convention, flags, given, images, stoppedEarly, accuracy, nll, meanConfidence,
                    over99, ece);
        }
    }

    /** A row of the ranking: its rank, then the candidate's keys. */
    record RankedJson(int rank, String convention, String flags, boolean given, int images, boolean stoppedEarly,
                      double accuracy, double nll, double meanConfidence, @JsonProperty("over_99") double over99,
                      double ece) {
        DoctorSection.Ranked toRanked() {
            return new DoctorSection.Ranked(rank, new DoctorResult.Candidate(convention, flags, given, images, stoppedEarly,
                    accuracy, nll, meanConfidence, over99, ece));
        }
    }

    /** What a skipped check writes: only the reason. */
    record SkippedJson(String skipped) {
    }

    /** The JSON value of the section: a {@link SkippedJson} or a {@link DoctorSectionJson}. */
    static Object of(DoctorSection s) {
        if (s.skipped()) {
            return new SkippedJson(s.skipReason());
        }
        List<RankedJson> ranking = s.ranking().stream().map(r -> {
            DoctorResult.Candidate c = r.candidate();
            return new RankedJson(r.rank(), c.label(), c.flags(), c.given(), c.images(), c.stoppedEarly(), c.accuracy(),
                    c.nll(), c.meanConfidence(), c.over99(), c.ece());
        }).toList();
        return new DoctorSectionJson(null, s.data(), s.sample(), s.seed(), s.searched(), s.conventions(), s.stoppedEarly(),
                s.seconds(), s.givenRank(), CandidateJson.of(s.given()), CandidateJson.of(s.best()), s.flagsToPass(),
                s.verdict(), s.tie(), ranking, s.metadata(), s.contradictions(), s.notes());
    }

    /** True when the JSON object is a skipped check's (a non-null {@code skipped}). */
    static boolean skippedOnly(com.fasterxml.jackson.databind.JsonNode doctor) {
        com.fasterxml.jackson.databind.JsonNode s = doctor.get("skipped");
        return s != null && !s.isNull();
    }

    DoctorSection toSection() {
        return new DoctorSection(null, data, sample, seed, searched, conventions, stoppedEarly, seconds,
                ranking.stream().map(RankedJson::toRanked).toList(), givenRank, given.toCandidate(), best.toCandidate(),
                verdict, tie, metadata, contradictions, notes);
    }
}
