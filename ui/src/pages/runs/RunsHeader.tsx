// The runs page header: experiment name(s), run count, description (the mlflow.note.content
// tag) and the experiment's tags in a collapsible editor.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { deleteExperimentTag, setExperimentTag } from "../../api/tracking";
import type { Experiment } from "../../api/types";
import { Description } from "../../components/Description";
import { PageHeader } from "../../components/common";
import { TagEditor } from "../../components/TagEditor";
import { formatTime, tagValue, userTags } from "../../lib/format";
import { href, routes } from "../../router";

export const NOTE_TAG = "mlflow.note.content";

export function RunCount({ total, loaded, loadingMore }: { total: number | undefined; loaded: number; loadingMore: boolean }) {
  const count = total ?? loaded;
  const text = `${count.toLocaleString()}${total === undefined && loadingMore ? "+" : ""} ${count === 1 ? "run" : "runs"}`;
  return <span class="runs-count" data-testid="runs-count" aria-live="polite">{text}</span>;
}

export function RunsHeader({ experiments, count, onChanged }: {
  experiments: Experiment[];
  count: ComponentChildren;
  onChanged: () => void;
}) {
  const [tagsOpen, setTagsOpen] = useState(false);
  const crumbs = [{ label: "Experiments", href: href(routes.experiments()) }];
  if (experiments.length !== 1) {
    return (
      <PageHeader crumbs={crumbs}
        title={<span class="runs-title">Comparing {experiments.length} experiments {count}</span>}
        subtitle={
          <span class="experiment-list">
            {experiments.map((e) => (
              <a key={e.experiment_id} class="experiment-chip" href={href(routes.experiment(e.experiment_id))}>{e.name}</a>
            ))}
          </span>
        } />
    );
  }
  const experiment = experiments[0];
  const id = experiment.experiment_id;
  const tags = userTags(experiment.tags);
  return (
    <>
      <PageHeader crumbs={crumbs}
        title={<span class="runs-title"><span data-testid="experiment-name">{experiment.name}</span>{count}
          {experiment.lifecycle_stage === "deleted" && <span class="badge">deleted</span>}</span>}
        subtitle={
          <span class="experiment-facts">
            <span>ID <span class="mono">{id}</span></span>
            {experiment.creation_time ? <span>Created {formatTime(experiment.creation_time)}</span> : null}
            {experiment.artifact_location && <span class="mono artifact-location" title={experiment.artifact_location}>{experiment.artifact_location}</span>}
          </span>
        } />
      <section class="panel experiment-about" aria-label="About this experiment">
        <Description text={tagValue(experiment.tags, NOTE_TAG) ?? ""} placeholder="No description yet."
          onSave={async (text) => { await setExperimentTag(id, NOTE_TAG, text); onChanged(); }} />
        <div class="experiment-tags">
          <button class="btn btn-small btn-ghost tags-toggle" aria-expanded={tagsOpen} data-testid="experiment-tags-toggle"
            onClick={() => setTagsOpen(!tagsOpen)}>
            <span class={`chevron ${tagsOpen ? "open" : ""}`} aria-hidden="true">▸</span>
            Tags ({tags.length})
          </button>
          {!tagsOpen && tags.length > 0 && (
            <span class="tag-chips">
              {tags.slice(0, 6).map((t) => <span key={t.key} class="tag-chip"><b>{t.key}</b>{t.value && `: ${t.value}`}</span>)}
              {tags.length > 6 && <span class="muted">+{tags.length - 6}</span>}
            </span>
          )}
          {tagsOpen && (
            <TagEditor tags={tags} onChanged={onChanged}
              onSet={(key, value) => setExperimentTag(id, key, value)}
              onDelete={(key) => deleteExperimentTag(id, key)} />
          )}
        </div>
      </section>
    </>
  );
}
