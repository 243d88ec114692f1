package org.calibkit.cli.audit;

import java.nio.file.Path;

import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.open.ModelDescription;
import org.calibkit.core.open.OpenedModel;
import org.calibkit.report.audit.AuditResult;

/** Core's description of a model file, as the report's model section. */
public final class ModelInfos {
    private ModelInfos() { }

    /** The same facts, field for field. */
    public static AuditResult.ModelInfo of(ModelDescription d) {
        return new AuditResult.ModelInfo(d.name(), d.location(), d.sha256(), d.kind(), d.head(), d.outputKind(),
                d.classNames(), d.preprocessing(), d.details(), d.hyperparameters());
    }

    /** What the report shows about a calibkit bundle (see {@link OpenedModel#describe(ModelBundle, Path)}). */
    public static AuditResult.ModelInfo of(ModelBundle b, Path file) {
        return of(OpenedModel.describe(b, file));
    }
}
