-- The source's branches, the codes and names a variant is matched against.
select branch_code as code, branch_name as name from branches where source = $1
