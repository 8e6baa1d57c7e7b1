// Moving files and folders: the folder picker, then "Move here".
import type { JSX } from "preact";
import type { Crumb, DriveNode } from "../../api";
import { canWrite } from "../../drive";
import { useI18n } from "../../i18n";
import { FolderPickerDialog } from "./FolderPicker";

export interface MoveDialogProps {
  open: boolean;
  nodes: DriveNode[];
  /** Where browsing starts: the folder the nodes are in. */
  startId: string;
  onMove: (target: Crumb) => Promise<unknown>;
  onClose: () => void;
}

export function MoveDialog({ open, nodes, startId, onMove, onClose }: MoveDialogProps): JSX.Element {
  const { t } = useI18n();
  const title =
    nodes.length === 1 && nodes[0]
      ? t("move.title_one", { name: nodes[0].name })
      : t("move.title_many", { count: nodes.length });
  return (
    <FolderPickerDialog
      open={open}
      title={title}
      startId={startId}
      disabledIds={new Set(nodes.map((node) => node.id))}
      confirm={(browsed) => {
        const alreadyHere = nodes.length > 0 && nodes.every((node) => node.parent_id === browsed.folder.id);
        return {
          label: alreadyHere ? t("move.current") : t("move.here"),
          enabled: !alreadyHere && canWrite(browsed.folder),
        };
      }}
      onConfirm={(target) => onMove(target)}
      onClose={onClose}
    />
  );
}
